import { OPEN_START, parseDay, type Day } from '../core/day.js';
import type { Definition, Restriction, Usage } from '../core/model.js';
import { usageRow } from './definitionRows.js';
import type { DefinitionRecord } from './syncBatch.js';

/** A usage's `from` as it reads back: an open start is stored as 0001-01-01. */
const STORED_OPEN_FROM = parseDay('0001-01-01') as Day;

function sameUsage(a: Usage, b: Usage): boolean {
  return a.kind === b.kind && a.reference === b.reference && (a.from === OPEN_START ? STORED_OPEN_FROM : a.from) === (b.from === OPEN_START ? STORED_OPEN_FROM : b.from) && a.until === b.until;
}

function sameTranslations(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * Whether writing `record` would store exactly what `stored` holds: its definition's fields, and
 * its usages and restrictions in any order. Field by field, without formatting a date: a full sync
 * compares every definition it lists, while the terminals wait.
 */
export function storedAlike(record: DefinitionRecord, stored: { definition: Definition; usages: readonly Usage[]; restrictions: readonly Restriction[] }): boolean {
  const a = record.definition;
  const b = stored.definition;
  if (
    a.structureVersion !== b.structureVersion ||
    a.level !== b.level ||
    a.parentId !== b.parentId ||
    a.dataEntryCode !== b.dataEntryCode ||
    a.shortCode !== b.shortCode ||
    a.externalReference !== b.externalReference ||
    a.name.default !== b.name.default ||
    a.info !== b.info ||
    a.activeFrom !== b.activeFrom ||
    a.activeUntil !== b.activeUntil ||
    a.changeVersion !== b.changeVersion ||
    !sameTranslations(a.name.translations, b.name.translations) ||
    record.usages.length !== stored.usages.length ||
    record.restrictions.length !== stored.restrictions.length
  ) {
    return false;
  }
  // Usually listed in the order they were stored; otherwise compared as sets of rows.
  const usageRows = (list: readonly Usage[]): string => sortedRows(list.map(usageRow));
  if (!record.usages.every((u, i) => sameUsage(u, stored.usages[i] as Usage)) && usageRows(record.usages) !== usageRows(stored.usages)) return false;
  const restrictionRows = (list: readonly Restriction[]): string => sortedRows(list.map((r) => [r.level, r.allowed]));
  return record.restrictions.length === 0 || restrictionRows(record.restrictions) === restrictionRows(stored.restrictions);
}

/** Rows as one text, whatever their order. */
function sortedRows(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).sort().join('\n');
}
