import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeIndex, type IndexedDefinition } from '../../src/core/codeIndex.js';
import { decideStep } from '../../src/core/validator.js';
import { BENCH_SV, generateModel, generateProbes, PROBE_DAY, type Probe } from './coreModel.js';
import type { BenchResult } from './run.js';
import { SqliteDecider } from './sqliteBaseline.js';
import { heapUsed, percentile } from './support.js';

const BATCH = 64;

interface Latency {
  opsPerSec: number;
  p50ns: number;
  p99ns: number;
  checksum: number;
}

/** Times `decide(i)` over probe indexes in batches: per-decision p50/p99 from batch means, ops/s from the total. */
function measure(count: number, decide: (i: number) => string, rounds: number): Latency {
  let checksum = 0;
  for (let i = 0; i < Math.min(count, 20_000); i++) checksum += decide(i).length; // warm-up
  const samples: number[] = [];
  let total = 0n;
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i + BATCH <= count; i += BATCH) {
      const t0 = process.hrtime.bigint();
      for (let k = i; k < i + BATCH; k++) checksum += decide(k).length;
      const dt = process.hrtime.bigint() - t0;
      total += dt;
      n += BATCH;
      samples.push(Number(dt) / BATCH);
    }
  }
  samples.sort((a, b) => a - b);
  return { opsPerSec: Math.round(n / (Number(total) / 1e9)), p50ns: Math.round(percentile(samples, 50)), p99ns: Math.round(percentile(samples, 99)), checksum };
}

export async function coreBench({ quick }: { quick: boolean }): Promise<BenchResult> {
  const sizes = quick ? [10_000] : [10_000, 100_000, 1_000_000];
  const people = quick ? 10_000 : 100_000;
  const probeCount = quick ? 50_000 : 200_000;
  const rows: Record<string, string | number>[] = [];
  const data: Record<string, unknown>[] = [];
  for (const size of sizes) {
    const model = generateModel(size, people);
    const probes = generateProbes(model, probeCount);
    const before = heapUsed();
    const builds: number[] = [];
    let index = CodeIndex.build(model);
    const runs = size >= 1_000_000 ? 1 : 3;
    for (let r = 0; r < runs; r++) {
      index = undefined as unknown as CodeIndex;
      heapUsed();
      const t0 = performance.now();
      index = CodeIndex.build(model);
      builds.push(performance.now() - t0);
    }
    const heapPerDef = (heapUsed() - before) / size;
    builds.sort((a, b) => a - b);
    const buildMs = builds[Math.floor(builds.length / 2)] as number;

    // Choices are resolved once per probe, as a terminal dialog holds them.
    const resolved = probes.map((p) => p.choices.map((id) => index.byId(id)).filter((d): d is IndexedDefinition => d !== undefined));
    const options = { noUsagePolicy: 'deny' as const };
    const decideIndexed = (i: number): string => {
      const p = probes[i] as Probe;
      return decideStep(index, { structureVersion: BENCH_SV, level: p.level, code: p.code, badge: p.badge, date: PROBE_DAY, choices: resolved[i] as IndexedDefinition[] }, options).reason;
    };
    const indexLatency = measure(probes.length, decideIndexed, quick ? 2 : 5);

    const dir = mkdtempSync(join(tmpdir(), 'ptgw-bench-'));
    const t0 = performance.now();
    const sqlite = new SqliteDecider(dir, model);
    const loadMs = performance.now() - t0;
    const sqliteProbes = probes.slice(0, quick ? 20_000 : 100_000);
    const sqliteLatency = measure(
      sqliteProbes.length,
      (i) => {
        const p = sqliteProbes[i] as Probe;
        return sqlite.decide(BENCH_SV, p.level, p.code, p.badge, PROBE_DAY, p.choices);
      },
      1,
    );
    // Both deciders must agree, or the comparison is meaningless.
    let disagreements = 0;
    const reasons: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) {
      const p = probes[i] as Probe;
      const a = decideIndexed(i);
      reasons[a] = (reasons[a] ?? 0) + 1;
      if (a !== sqlite.decide(BENCH_SV, p.level, p.code, p.badge, PROBE_DAY, p.choices)) disagreements++;
    }
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
    const speedup = indexLatency.opsPerSec / sqliteLatency.opsPerSec;
    rows.push({
      definitions: size,
      'build ms': Math.round(buildMs),
      'heap B/def': Math.round(heapPerDef),
      'index ops/s': indexLatency.opsPerSec,
      'p50 ns': indexLatency.p50ns,
      'p99 ns': indexLatency.p99ns,
      'sqlite ops/s': sqliteLatency.opsPerSec,
      'sqlite p99 ns': sqliteLatency.p99ns,
      speedup: `${speedup.toFixed(1)}x`,
      disagree: disagreements,
    });
    data.push({ size, people, buildMs, heapBytesPerDefinition: heapPerDef, index: indexLatency, sqlite: { ...sqliteLatency, loadMs }, speedup, usages: model.usages.length, disagreements, reasonMix: reasons });
  }
  const largest = data[data.length - 1] as { size: number; buildMs: number; heapBytesPerDefinition: number; index: Latency; speedup: number };
  const label = `${largest.size.toLocaleString('en-US')} definitions`;
  return {
    tables: [{ title: `Decision latency (resolve + validate one step), ${people.toLocaleString('en-US')} people`, rows }],
    targets: [
      { name: `p99 < 2 µs per decision at ${label}`, measured: `${largest.index.p99ns} ns`, pass: largest.index.p99ns < 2000 },
      { name: `≥ 10× the SQLite baseline at ${label}`, measured: `${largest.speedup.toFixed(1)}×`, pass: largest.speedup >= 10 },
      { name: `index build < 3 s at ${label}`, measured: `${Math.round(largest.buildMs)} ms`, pass: largest.buildMs < 3000 },
      { name: `< 1 KiB heap per definition at ${label}`, measured: `${Math.round(largest.heapBytesPerDefinition)} B`, pass: largest.heapBytesPerDefinition < 1024 },
    ],
    data,
  };
}
