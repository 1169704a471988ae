import { parse } from 'csv-parse/sync';
import { parseOptionalDay, OPEN_END, OPEN_START } from '../../core/day.js';
import { PtgwError } from '../../core/errors.js';
import type { UsageKind } from '../../core/model.js';

/**
 * One row of `ptgw definitions import`: a definition identified by (level, externalReference),
 * its names, codes, parent (external reference or id on the level above), dates and usages
 * written as `Kind:reference:from[:until]` separated by `;`.
 */
export interface ImportRow {
  line: number;
  structureVersion: string | undefined;
  level: number;
  externalReference: string;
  name: string;
  translations: Record<string, string>;
  dataEntryCode: string | undefined;
  shortCode: string | undefined;
  info: string | undefined;
  parent: string | undefined;
  activeFrom: string | undefined;
  activeUntil: string | undefined;
  usages: { kind: UsageKind; reference: number; from: string; until: string | undefined }[];
}

export const KNOWN_COLUMNS = ['structureVersion', 'level', 'externalReference', 'name', 'dataEntryCode', 'shortCode', 'info', 'parent', 'activeFrom', 'activeUntil', 'usages'];

export type ParsedRow = { ok: true; row: ImportRow } | { ok: false; line: number; reference: string; message: string };

const blank = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim());

function usage(text: string): ImportRow['usages'][number] {
  const [kind, ref, from, until, ...rest] = text.split(':').map((p) => p.trim());
  if (kind !== 'Person' && kind !== 'Group' && kind !== 'Circle') throw new Error(`usage "${text}": the kind must be Person, Group or Circle`);
  const reference = Number(ref);
  if (!Number.isInteger(reference)) throw new Error(`usage "${text}": the reference must be a number`);
  if (from === undefined || parseOptionalDay(from, OPEN_START) === undefined || from === '') throw new Error(`usage "${text}": from must be a date like 2025-01-01`);
  if (rest.length > 0 || (until !== undefined && until !== '' && parseOptionalDay(until, OPEN_END) === undefined)) throw new Error(`usage "${text}": until must be a date or empty`);
  return { kind, reference, from, until: blank(until) };
}

/** Parses the file; a header problem stops everything, a row problem is reported for that row only. */
export function parseImportCsv(text: string, file: string): ParsedRow[] {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // Rows of empty cells only (Excel leaves them below the data) are skipped like empty lines.
    parsed = parse(text, { bom: true, skip_empty_lines: true, skip_records_with_empty_values: true, relax_column_count: true, trim: false, info: true }) as unknown as typeof parsed;
  } catch (cause) {
    throw new PtgwError('USAGE', `${file} is not a readable CSV file: ${(cause as Error).message}.`, { cause });
  }
  const header = (parsed[0]?.record ?? []).map((h) => h.trim());
  for (const required of ['level', 'externalReference', 'name']) {
    if (!header.includes(required)) throw new PtgwError('USAGE', `${file}: the header needs a "${required}" column (columns: ${KNOWN_COLUMNS.join(', ')}, name.<lang>).`);
  }
  const unknown = header.filter((h) => !KNOWN_COLUMNS.includes(h) && !/^name\.[a-z]{2}(-[A-Za-z]{2})?$/.test(h));
  if (unknown.length > 0) throw new PtgwError('USAGE', `${file}: unknown column(s) ${unknown.join(', ')}.`);
  return parsed.slice(1).map(({ record: cells, info }) => {
    // The line the record ends on: the file's own line, past blank lines and quoted line breaks.
    const line = info.lines;
    const get = (col: string): string | undefined => blank(cells[header.indexOf(col)]);
    const reference = get('externalReference') ?? '';
    try {
      if (cells.length > header.length) {
        throw new Error(`${cells.length} cells where the header has ${header.length}: a comma inside a value needs quotes, and usages are separated by ";"`);
      }
      const level = Number(get('level'));
      if (!Number.isInteger(level) || level < 1) throw new Error(`level must be a level number (got "${get('level') ?? ''}")`);
      if (reference === '') throw new Error('externalReference is required: it identifies the definition, so a re-run updates instead of duplicating');
      for (const [col, end] of [['activeFrom', OPEN_START], ['activeUntil', OPEN_END]] as const) {
        const v = get(col);
        if (v !== undefined && parseOptionalDay(v, end) === undefined) throw new Error(`${col} must be a date like 2025-01-01 (got "${v}")`);
      }
      const translations: Record<string, string> = {};
      header.forEach((h, k) => {
        const v = blank(cells[k]);
        if (h.startsWith('name.') && v !== undefined) translations[h.slice(5)] = v;
      });
      return {
        ok: true,
        row: {
          line,
          structureVersion: get('structureVersion'),
          level,
          externalReference: reference,
          name: get('name') ?? '',
          translations,
          dataEntryCode: get('dataEntryCode'),
          shortCode: get('shortCode'),
          info: get('info'),
          parent: get('parent'),
          activeFrom: get('activeFrom'),
          activeUntil: get('activeUntil'),
          usages: (get('usages') ?? '').split(';').map((u) => u.trim()).filter((u) => u !== '').map(usage),
        },
      };
    } catch (err) {
      return { ok: false, line, reference, message: (err as Error).message };
    }
  });
}
