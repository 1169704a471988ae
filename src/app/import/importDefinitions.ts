import type { ModelStore } from '../../cache/ModelStore.js';
import { formatOptionalDay, parseOptionalDay, OPEN_END, OPEN_START } from '../../core/day.js';
import type { Definition } from '../../core/model.js';
import type { AdminService } from '../../protime/admin/AdminService.js';
import type { DefinitionBody } from '../../protime/admin/adminSchemas.js';
import type { ImportRow, ParsedRow } from './csvRows.js';

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  usagesAdded: number;
  errors: { line: number; reference: string; message: string }[];
  /** What was (or, in a dry run, would be) done, one line each. */
  changes: string[];
}

export interface ImportOptions {
  admin: AdminService;
  store: ModelStore;
  defaultStructureVersion: string;
  dryRun: boolean;
  progress: (done: number, total: number) => void;
}

function body(row: ImportRow, parentId: string | undefined): DefinitionBody {
  const b: DefinitionBody = { name: { default: row.name, translations: row.translations }, externalReference: row.externalReference, parent: parentId === undefined ? undefined : { id: parentId } };
  if (row.dataEntryCode !== undefined) b.dataEntryCode = row.dataEntryCode;
  if (row.shortCode !== undefined) b.shortCode = row.shortCode;
  if (row.info !== undefined) b.info = row.info;
  if (row.activeFrom !== undefined) b.activeFrom = row.activeFrom;
  if (row.activeUntil !== undefined) b.activeUntil = row.activeUntil;
  return b;
}

/** Field-by-field differences between the cached definition and the row; empty when the row is already applied. */
function differences(current: Definition, row: ImportRow, parentId: string | undefined): string[] {
  const d: string[] = [];
  const cmp = (field: string, before: string | undefined, after: string | undefined): void => {
    if ((before ?? '') !== (after ?? '')) d.push(`${field} "${before ?? ''}" → "${after ?? ''}"`);
  };
  cmp('name', current.name.default, row.name);
  cmp('translations', JSON.stringify(sorted(current.name.translations)), JSON.stringify(sorted(row.translations)));
  // A row without a code leaves it to Protime (auto codes): the code it generated is no difference.
  if (row.dataEntryCode !== undefined) cmp('dataEntryCode', current.dataEntryCode, row.dataEntryCode);
  cmp('shortCode', current.shortCode, row.shortCode);
  cmp('info', current.info, row.info);
  cmp('parent', current.parentId, parentId);
  cmp('activeFrom', formatOptionalDay(current.activeFrom), row.activeFrom === undefined ? undefined : formatOptionalDay(parseOptionalDay(row.activeFrom, OPEN_START) ?? OPEN_START));
  cmp('activeUntil', formatOptionalDay(current.activeUntil), row.activeUntil === undefined ? undefined : formatOptionalDay(parseOptionalDay(row.activeUntil, OPEN_END) ?? OPEN_END));
  return d;
}

/** A reference or code unique within one level of one structure version. */
function levelKey(structureVersion: string, level: number, value: string): string {
  return `${structureVersion}|${level}|${value}`;
}

function sorted(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Upserts every valid row through the admin service (so each passes the same local checks as a
 * single write), skipping rows the cache shows are already applied: an interrupted import is simply
 * run again. Usages are added when missing, never removed.
 */
export async function importDefinitions(rows: readonly ParsedRow[], o: ImportOptions): Promise<ImportReport> {
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, usagesAdded: 0, errors: [], changes: [] };
  /** Definitions this run creates (or, dry, would create), by levelKey of their external reference. */
  const planned = new Set<string>();
  /** The line of the row that gave each data entry code, by levelKey of the code (a dry run's duplicate check). */
  const plannedCodes = new Map<string, number>();
  let done = 0;
  for (const parsed of rows) {
    o.progress(done++, rows.length);
    if (!parsed.ok) {
      report.errors.push({ line: parsed.line, reference: parsed.reference, message: parsed.message });
      continue;
    }
    const row = parsed.row;
    const sv = row.structureVersion ?? o.defaultStructureVersion;
    const where = `level ${row.level} ${row.externalReference}`;
    const fail = (message: string): void => void report.errors.push({ line: row.line, reference: row.externalReference, message });
    const parentId =
      row.parent === undefined
        ? undefined
        : (o.store.definition(sv, row.level - 1, { externalReference: row.parent }) ?? o.store.definition(sv, row.level - 1, { id: row.parent }))?.id ?? row.parent;
    const current = o.store.definition(sv, row.level, { externalReference: row.externalReference });
    const diff = current === undefined ? [] : differences(current, row, parentId);
    let id = current?.id;
    if (current === undefined || diff.length > 0) {
      const ref = { structureVersion: sv, level: row.level, reference: row.externalReference, referenceKey: '@external-reference' };
      // A dry run makes the same local checks as the real one, so it reports the same bad rows; a
      // parent that an earlier row of the file would create is not in the cache yet, so it is not checked.
      const parentPlanned = row.parent !== undefined && planned.has(levelKey(sv, row.level - 1, row.parent));
      const codeLine = row.dataEntryCode === undefined ? undefined : plannedCodes.get(levelKey(sv, row.level, row.dataEntryCode));
      if (o.dryRun && codeLine !== undefined) {
        fail(`dataEntryCode: dataEntryCode ${row.dataEntryCode} is already used by the row of line ${codeLine}.`);
        continue;
      }
      const result = o.dryRun ? await o.admin.checkDefinition(ref, body(row, parentPlanned ? undefined : parentId)) : await o.admin.putDefinition(ref, body(row, parentId));
      if (result !== undefined && !result.ok) {
        fail(result.body.error.field === undefined ? result.body.error.message : `${result.body.error.field}: ${result.body.error.message}`);
        continue;
      }
      report.changes.push(current === undefined ? `+ create ${where} "${row.name}"` : `~ update ${where}: ${diff.join(', ')}`);
      if (result !== undefined) id = result.id ?? id;
      if (current === undefined) {
        planned.add(levelKey(sv, row.level, row.externalReference));
        report.created++;
      } else report.updated++;
      if (row.dataEntryCode !== undefined) plannedCodes.set(levelKey(sv, row.level, row.dataEntryCode), row.line);
    } else {
      report.unchanged++;
    }
    const have = id === undefined ? [] : o.store.usagesOf(id);
    for (const u of row.usages) {
      const from = parseOptionalDay(u.from, OPEN_START);
      const until = parseOptionalDay(u.until, OPEN_END);
      if (have.some((h) => h.kind === u.kind && h.reference === u.reference && h.from === from && h.until === until)) continue;
      report.changes.push(`+ usage ${where}: ${u.kind} ${u.reference} from ${u.from}${u.until === undefined ? '' : ` until ${u.until}`}`);
      if (!o.dryRun) {
        if (id === undefined) {
          // Protime named no id for the created definition (neither body nor Location): its usages cannot be added now.
          fail(`usages not added: Protime did not say which id it gave the definition; run the import again after a sync.`);
          break;
        }
        const result = await o.admin.addUsage({ structureVersion: sv, level: row.level, reference: id, referenceKey: undefined }, { activityUsageKind: u.kind, usageReference: { id: u.reference }, from: u.from, until: u.until });
        if (!result.ok) {
          fail(`usage ${u.kind} ${u.reference}: ${result.body.error.message}`);
          continue;
        }
      }
      report.usagesAdded++;
    }
  }
  o.progress(done, rows.length);
  return report;
}
