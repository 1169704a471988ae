import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useSharedAdminRig } from '../support/adminRig.js';

// One gateway and simulator for the whole file.
const shared = useSharedAdminRig();

const WINDOWS = '38fc2206-b51f-434a-9c36-9e0esfc5e70e';
const MAINT = '0b3642ae-16c9-4914-b099-2ba4b99d5ee9';
const cli = (...args: string[]) => runCli([...args, '--config', shared().config]);

describe('the admin commands against Protime', () => {
  it('create a definition by custom reference and find it with ptgw lookup', async () => {
    const r = await cli('definitions', 'put', '--level', '3', '--ref-key', 'CustomActivityReference', 'Cleaning', '--name', 'Cleaning', '--translation', 'nl=Schoonmaken', '--code', '00026', '--external-reference', 'Cleaning', '--active-from', '2025-01-01', '--active-until', '2026-01-01');
    expect(r.stderr).toContain('fields left out are cleared');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: { default: 'Cleaning', translations: { nl: 'Schoonmaken' } }, dataEntryCode: '00026' });
    const lookup = await cli('lookup', '--badge', '0001234', '--date', '2025-03-04', '--levels', '3', '--json', '00026');
    expect(JSON.parse(lookup.stdout).steps[0]).toMatchObject({ code: '00026', name: 'Cleaning' });
  });

  it('update with --merge, keeping the fields not given', async () => {
    const r = await cli('definitions', 'put', '--level', '3', '--ref-key', '@data-entry-code', '20003', '--merge', '--active-until', '2025-10-31');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dataEntryCode: '20003', externalReference: 'INSP', activeUntil: '2025-10-31' });
  });

  it('explain an unknown internal id without calling Protime, exit 2', async () => {
    const r = await cli('definitions', 'put', '--level', '3', '00000000-0000-4000-8000-00000000dead', '--name', 'X', '--code', '5');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No definition with this internal id');
  });

  it('list, update, refuse an overlap, and delete usages', async () => {
    const list = await cli('usages', 'list', '--level', '3', WINDOWS);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).usages).toHaveLength(2);
    const update = await cli('usages', 'update', '--level', '3', WINDOWS, '--kind', 'Circle', '--ref', '13', '--original-from', '2025-01-01', '--original-until', '2025-12-31', '--from', '2025-01-15', '--until', '2025-12-31');
    expect(update.code).toBe(0);
    const overlap = await cli('usages', 'add', '--level', '3', WINDOWS, '--kind', 'Circle', '--ref', '13', '--from', '2025-06-01');
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toContain('overlaps the existing usage Circle 13 from 2025-01-15 until 2025-12-31');
    const del = await cli('usages', 'delete', '--level', '3', WINDOWS, '--kind', 'Circle', '--ref', '13', '--from', '2025-01-15', '--until', '2025-12-31');
    expect(del.code).toBe(0);
    expect(del.stdout).toContain('done (204)');
  });

  it('clear and read restrictions', async () => {
    const put = await cli('restrictions', 'put', '--level', '1', MAINT, '--clear');
    expect(put.code).toBe(0);
    const get = await cli('restrictions', 'get', '--level', '1', MAINT);
    expect(JSON.parse(get.stdout).restrictions).toEqual([]);
    expect((await cli('restrictions', 'put', '--level', '1', MAINT)).code).toBe(2);
  });
});
