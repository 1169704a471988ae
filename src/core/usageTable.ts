import type { Day } from './day.js';
import type { Usage, UsageKind } from './model.js';

/**
 * The usages of one definition packed into one flat array of small integers:
 * [kind, reference, from, until] per usage, sorted by (kind, reference, from).
 * A flat packed array costs ~32 bytes per usage, against hundreds for a Map per kind; lookups
 * scan when the table is small and binary-search (kind, reference) when it is large, so the cost
 * depends on the usages of one definition, never on the number of definitions or people.
 */
export type UsageTable = readonly number[];

const STRIDE = 4;
/** Below this many usages a straight scan beats a binary search. */
const SCAN_LIMIT = 8;

export const KIND_PERSON = 0;
export const KIND_GROUP = 1;
export const KIND_CIRCLE = 2;

export function kindIndex(kind: UsageKind): number {
  return kind === 'Person' ? KIND_PERSON : kind === 'Group' ? KIND_GROUP : KIND_CIRCLE;
}

/** Sorts a packed table in place by (kind, reference, from); already-sorted tables (the usual case) cost one pass. */
export function sortUsageTable(table: number[]): void {
  let sorted = true;
  for (let i = STRIDE; i < table.length && sorted; i += STRIDE) if (compareRows(table, i - STRIDE, table, i) > 0) sorted = false;
  if (sorted) return;
  const rows: number[][] = [];
  for (let i = 0; i < table.length; i += STRIDE) rows.push(table.slice(i, i + STRIDE));
  rows.sort((a, b) => compareRows(a, 0, b, 0));
  table.length = 0;
  for (const row of rows) table.push(...row);
}

function compareRows(a: readonly number[], i: number, b: readonly number[], j: number): number {
  return (a[i] as number) - (b[j] as number) || (a[i + 1] as number) - (b[j + 1] as number) || (a[i + 2] as number) - (b[j + 2] as number);
}

export function buildUsageTable(usages: readonly Usage[]): UsageTable {
  const table: number[] = [];
  for (const u of usages) table.push(kindIndex(u.kind), u.reference, u.from, u.until);
  sortUsageTable(table);
  return table;
}

export function usageCount(table: UsageTable): number {
  return table.length / STRIDE;
}

export interface Member {
  id: number;
  groups: readonly number[];
  circles: readonly number[];
}

/** Whether a usage of the table covers `day` for the person, through their id, a group or a circle. */
export function usageCovers(table: UsageTable, member: Member, day: Day): boolean {
  const n = table.length;
  if (n <= SCAN_LIMIT * STRIDE) {
    for (let i = 0; i < n; i += STRIDE) {
      if ((table[i + 2] as number) > day || (table[i + 3] as number) < day) continue;
      const kind = table[i] as number;
      const ref = table[i + 1] as number;
      if (kind === KIND_PERSON ? ref === member.id : (kind === KIND_GROUP ? member.groups : member.circles).includes(ref)) {
        return true;
      }
    }
    return false;
  }
  if (coversKey(table, KIND_PERSON, member.id, day)) return true;
  for (const g of member.groups) if (coversKey(table, KIND_GROUP, g, day)) return true;
  for (const c of member.circles) if (coversKey(table, KIND_CIRCLE, c, day)) return true;
  return false;
}

function coversKey(table: UsageTable, kind: number, ref: number, day: Day): boolean {
  // Lower bound of (kind, ref) over rows.
  let lo = 0;
  let hi = table.length / STRIDE;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = table[mid * STRIDE] as number;
    const r = table[mid * STRIDE + 1] as number;
    if (k < kind || (k === kind && r < ref)) lo = mid + 1;
    else hi = mid;
  }
  // Rows of one key are sorted by `from`; upstream forbids overlaps, but tolerate them by scanning.
  for (let i = lo * STRIDE; i < table.length; i += STRIDE) {
    if (table[i] !== kind || table[i + 1] !== ref || (table[i + 2] as number) > day) return false;
    if ((table[i + 3] as number) >= day) return true;
  }
  return false;
}
