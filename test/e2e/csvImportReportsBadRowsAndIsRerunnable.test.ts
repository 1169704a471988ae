import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useSharedAdminRig } from '../support/adminRig.js';

// One gateway and simulator for the whole file.
const shared = useSharedAdminRig();

const ROWS = 5000;
/** Lines (1-based, header = 1) of the ten rows that must be refused, and why. */
const BAD: Record<number, (i: number) => string> = {
  50: (i) => `3,IMP${i},Op ${i},Bewerking ${i},C${i},,,ORD100,2025-13-01,,Group:5:2025-01-01`, // impossible date
  400: (i) => `3,IMP${i},Op ${i},,C${i},,,ORD100,2025-01-01,2024-01-01,`, // ends before it starts
  777: (i) => `3,IMP${i},Op ${i},,C${i},,,ORD100,bad-date,,`, // not a date
  1200: (i) => `3,IMP${i},Op ${i},,C10,,,ORD100,,,`, // code of line 11's row
  1900: (i) => `3,IMP${i},Op ${i},,C20,,,ORD100,,,`, // code of line 21's row
  2500: (i) => `3,IMP${i},Op ${i},,12345678901234567,,,ORD100,,,`, // code over 16 characters
  3100: (i) => `3,IMP${i},Op ${i},,C${i}X12345678901234,,,ORD100,,,`, // code over 16 characters
  3700: (i) => `3,IMP${i},Op ${i},,C${i},,,NO-SUCH-PARENT,,,`, // unknown parent
  4200: (i) => `3,IMP${i},,,C${i},,,ORD100,,,`, // no name
  4800: (i) => `3,IMP${i},Op ${i},,C${i},,,ORD100,,,Team:1:2025-01-01`, // not a usage kind
};

function csv(): string {
  const lines = ['level,externalReference,name,name.nl,dataEntryCode,shortCode,info,parent,activeFrom,activeUntil,usages'];
  for (let i = 0; i < ROWS; i++) {
    const line = i + 2;
    const bad = BAD[line];
    lines.push(bad !== undefined ? bad(i) : `3,IMP${i},Op ${i},Bewerking ${i},C${i},S${i},,ORD100,2025-01-01,,Group:5:2025-01-01`);
  }
  return `${lines.join('\n')}\n`;
}

describe('ptgw definitions import of a file it cannot take', () => {
  it('refuses a file that is not UTF-8, and one that does not exist, as usage errors (exit 2), sending nothing', async () => {
    const dir = dirname(shared().config);
    const cp1252 = join(dir, 'excel-cp1252.csv');
    writeFileSync(cp1252, Buffer.concat([Buffer.from('level,externalReference,name\n3,CAFE,Caf'), Buffer.from([0xe9]), Buffer.from(' cr'), Buffer.from([0xe8]), Buffer.from('me\n')]));
    const before = shared().sim.requests().length;
    const notUtf8 = await runCli(['definitions', 'import', cp1252, '--config', shared().config]);
    expect(notUtf8.code).toBe(2);
    expect(notUtf8.stderr).toContain('is not UTF-8 text');
    const missing = await runCli(['definitions', 'import', join(dir, 'nope.csv'), '--config', shared().config]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    expect(shared().sim.requests().slice(before).filter((r) => r.method !== 'GET')).toHaveLength(0);
  });
});

describe('ptgw definitions import of 5000 rows with 10 bad ones', () => {
  // About 20 s on a quiet 2-core machine (20,000 requests to the simulator): allow for a busy one.
  it('dry-runs, imports the good rows, reports exactly the bad ones, and changes nothing when run again', { timeout: 300_000 }, async () => {
    const file = join(dirname(shared().config), 'definitions.csv');
    writeFileSync(file, csv());
    const dry = await runCli(['definitions', 'import', file, '--dry-run', '--config', shared().config], { timeoutMs: 120_000 });
    expect(dry.stdout).toContain('+ create level 3 IMP0 "Op 0"');
    expect(dry.stdout).toContain(`Dry run: would create ${ROWS - 10}, update 0, unchanged 0, usages to add ${ROWS - 10}, errors 10.`);
    // The dry run makes the real run's checks: it names the same ten lines.
    const dryErrorLines = dry.stderr.split('\n').filter((l) => /^line \d+/.test(l));
    expect(dryErrorLines.map((l) => Number(/^line (\d+)/.exec(l)?.[1]))).toEqual(Object.keys(BAD).map(Number));
    expect(shared().sim.requests().filter((r) => r.method === 'PUT')).toHaveLength(0);

    const first = await runCli(['definitions', 'import', file, '--config', shared().config], { timeoutMs: 300_000 });
    expect(first.code).toBe(1);
    const errorLines = first.stderr.split('\n').filter((l) => /^line \d+/.test(l));
    expect(errorLines.map((l) => Number(/^line (\d+)/.exec(l)?.[1]))).toEqual(Object.keys(BAD).map(Number));
    expect(first.stdout).toContain(`Created ${ROWS - 10}, updated 0, unchanged 0, usages added ${ROWS - 10}, errors 10.`);
    const snapshot = await runCli(['lookup', '--config', shared().config, '--badge', '0000005', '--date', '2025-03-04', '--levels', '3', '--json', 'C4999']);
    expect(JSON.parse(snapshot.stdout)).toMatchObject({ decision: 'ACCEPTED', steps: [{ name: 'Op 4999' }] });

    const puts = shared().sim.requests().filter((r) => r.method === 'PUT').length;
    const posts = shared().sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/usages')).length;
    const again = await runCli(['definitions', 'import', file, '--config', shared().config], { timeoutMs: 120_000 });
    expect(again.stdout).toMatch(/Created 0, updated 0, unchanged \d+, usages added 0, errors 10\./);
    expect(shared().sim.requests().filter((r) => r.method === 'PUT').length).toBe(puts);
    expect(shared().sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/usages')).length).toBe(posts);
  });
});
