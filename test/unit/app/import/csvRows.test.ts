import { describe, expect, it } from 'vitest';
import { parseImportCsv } from '../../../../src/app/import/csvRows.js';

const HEADER = 'level,externalReference,name,activeFrom,activeUntil,usages';

describe('the rows of a definitions CSV', () => {
  it('refuses a row with more cells than the header instead of dropping the extra ones', () => {
    const rows = parseImportCsv(`${HEADER}\n3,A1,Sweeping,2025-01-01,,Group:5:2025-01-01,Circle:13:2025-01-01\n`, 'x.csv');
    expect(rows).toEqual([{ ok: false, line: 2, reference: 'A1', message: expect.stringContaining('7 cells where the header has 6') }]);
  });

  it('refuses a date that is not one, instead of reading it as no date', () => {
    const rows = parseImportCsv(`${HEADER}\n3,A1,Sweeping,01/03/2025,,\n3,A2,Mopping,2025-01-01,31/12/2025,\n`, 'x.csv');
    expect(rows.map((r) => (r.ok ? 'ok' : r.message))).toEqual([expect.stringContaining('activeFrom must be a date'), expect.stringContaining('activeUntil must be a date')]);
  });

  it('names the file line of each row, past blank lines and line breaks inside quotes', () => {
    const text = `${HEADER}\n3,A1,"Two\nlines",,,\n\n3,,No reference,,,\n`;
    const rows = parseImportCsv(text, 'x.csv');
    expect(rows.map((r) => (r.ok ? r.row.line : r.line))).toEqual([3, 5]);
    expect(rows[1]).toMatchObject({ ok: false, message: expect.stringContaining('externalReference is required') });
  });

  it('skips rows of empty cells, as spreadsheets leave below the data', () => {
    const rows = parseImportCsv(`${HEADER}\n3,A1,Sweeping,,,\n,,,,,\n,,,,,\n`, 'x.csv');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ok: true, row: { externalReference: 'A1', name: 'Sweeping' } });
  });
});
