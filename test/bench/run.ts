import { coreBench } from './core.bench.js';
import { devicesBench } from './devices.bench.js';
import { outboxBench } from './outbox.bench.js';
import { syncBench } from './sync.bench.js';
import { table, writeResult } from './support.js';

export interface BenchResult {
  tables: { title: string; rows: Record<string, string | number>[] }[];
  targets: { name: string; measured: string; pass: boolean }[];
  data: unknown;
}

export type Bench = (options: { quick: boolean }) => Promise<BenchResult>;

/** Every benchmark of `npm run bench`; add one line per bench. */
const BENCHES: Record<string, Bench> = {
  core: coreBench,
  sync: syncBench,
  outbox: outboxBench,
  devices: devicesBench,
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
if (only !== undefined && !(only in BENCHES)) {
  console.error(`unknown bench "${only}"; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const [name, bench] of Object.entries(BENCHES)) {
  if (only !== undefined && name !== only) continue;
  console.log(`\n=== ${name}${quick ? ' (quick)' : ''} ===`);
  const result = await bench({ quick });
  for (const t of result.tables) console.log(table(t.title, t.rows));
  for (const t of result.targets) {
    console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured}`);
    if (!t.pass) failed++;
  }
  console.log(`written to ${writeResult(quick ? `${name}.quick` : name, { quick, tables: result.tables, targets: result.targets, data: result.data })}`);
}
console.log(failed === 0 ? '\nall targets met' : `\n${failed} target(s) missed`);
