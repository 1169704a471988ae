/**
 * `npm run bench` — node --expose-gc --max-old-space-size=8192 --import tsx test/bench/run.ts [--quick] [--only NAME]
 * Runs the registered benches in order, prints their tables and target verdicts, and writes
 * bench/results/<name>.json (<name>.quick.json for --quick, so a smoke run never overwrites real figures).
 */
import { coreBench } from './core.bench.js';
import { devicesBench } from './devices.bench.js';
import { outboxBench } from './outbox.bench.js';
import { platformBench } from './platform.bench.js';
import { syncBench } from './sync.bench.js';
import { table, writeResult, type Bench } from './support.js';

export type { Bench, BenchResult } from './support.js';

/** Every benchmark of `npm run bench`; add one line per bench. */
const BENCHES: Record<string, Bench> = {
  core: coreBench,
  sync: syncBench,
  outbox: outboxBench,
  devices: devicesBench,
  platform: platformBench,
};

function usage(message: string): never {
  console.error(`${message}\nusage: run.ts [--quick] [--only ${Object.keys(BENCHES).join('|')}]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let quick = false;
let only: string | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  if (arg === '--quick') quick = true;
  else if (arg === '--only') only = args[++i];
  else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
  else usage(`unknown argument "${arg}"`);
}
if (only !== undefined && !Object.hasOwn(BENCHES, only)) usage(`unknown bench "${only}"`);

let failed = 0;
for (const [name, bench] of Object.entries(BENCHES)) {
  if (only !== undefined && name !== only) continue;
  console.log(`\n=== ${name}${quick ? ' (quick)' : ''} ===`);
  const t0 = performance.now();
  const result = await bench({ quick });
  for (const t of result.tables) console.log(table(t.title, t.rows));
  for (const note of result.notes ?? []) console.log(`note: ${note}`);
  for (const t of result.targets) {
    console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured}`);
    if (!t.pass) failed++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const file = writeResult(quick ? `${name}.quick` : name, { bench: name, quick, seconds, tables: result.tables, notes: result.notes ?? [], targets: result.targets, data: result.data });
  console.log(`${name}: ${seconds.toFixed(1)} s, written to ${file}`);
}
console.log(failed === 0 ? '\nall targets met' : `\n${failed} target(s) missed`);
