import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Shared helpers of `npm run bench`: the result shape, percentiles, batched timing, heap, tables, result files. */

export const RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', import.meta.url));

export type Cell = string | number;

/** What every bench returns to run.ts: tables to print, verdicts against targets, and the raw figures for the JSON file. */
export interface BenchResult {
  tables: { title: string; rows: Record<string, Cell>[] }[];
  targets: { name: string; measured: string; pass: boolean }[];
  /** Lines printed under the tables (e.g. a measurement that was skipped, and why). */
  notes?: string[];
  data: unknown;
}

export type Bench = (options: { quick: boolean }) => Promise<BenchResult>;

/** Deterministic PRNG (mulberry32): the same model and probes every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** A full, twice-run garbage collection (a second pass collects what the first one's finalisation freed). */
export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) throw new Error('run the benchmarks with node --expose-gc (npm run bench does)');
  g();
  g();
}

/** Live heap after a full collection. */
export function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Heap retained by what `make` returns: live heap after a full GC with the result alive, minus the
 * same before. Whatever the caller keeps alive across the call (e.g. the input) is not counted.
 */
export function retainedHeap<T>(make: () => T): { value: T; bytes: number } {
  const before = heapUsed();
  const value = make();
  const bytes = heapUsed() - before;
  return { value, bytes };
}

export interface Latency {
  /** Operations timed (warm-up excluded). */
  operations: number;
  opsPerSec: number;
  /** Per-operation percentiles, from the mean of each batch. */
  p50ns: number;
  p99ns: number;
  p999ns: number;
  maxNs: number;
  /** Whatever the operations returned, summed, so that none of them can be optimised away. */
  checksum: number;
}

export interface BatchedTiming {
  /** Operations per round (the batch function is called for [start, end) ranges of 0..count). */
  count: number;
  /** Operations per timed sample; timer overhead (~25 ns on Linux) is divided by this. */
  batch?: number;
  rounds: number;
  /** Called before every round (warm-up included) and outside the timed region, e.g. to make fresh inputs. */
  prepare?: (round: number) => void;
  /** Untimed rounds first, so that the code is optimised and caches are in their steady state. */
  warmupRounds?: number;
}

/**
 * Times `run(start, end)` (which performs operations start..end-1 and returns a checksum) in batches:
 * one `process.hrtime.bigint()` pair per batch, not per operation, since the timer costs about as much
 * as what is measured. Percentiles are of per-operation means within a batch; ops/s is from the total.
 */
export function timeBatched(run: (start: number, end: number) => number, timing: BatchedTiming): Latency {
  const batch = timing.batch ?? 64;
  const samples: number[] = [];
  let checksum = 0;
  let totalNs = 0;
  let operations = 0;
  const warmup = timing.warmupRounds ?? 1;
  for (let round = 0; round < warmup + timing.rounds; round++) {
    timing.prepare?.(round);
    const timed = round >= warmup;
    for (let start = 0; start < timing.count; start += batch) {
      const end = Math.min(timing.count, start + batch);
      const t0 = process.hrtime.bigint();
      checksum += run(start, end);
      const ns = Number(process.hrtime.bigint() - t0);
      if (!timed) continue;
      totalNs += ns;
      operations += end - start;
      if (end - start === batch) samples.push(ns / batch);
    }
  }
  samples.sort((a, b) => a - b);
  return {
    operations,
    opsPerSec: operations / (totalNs / 1e9),
    p50ns: percentile(samples, 50),
    p99ns: percentile(samples, 99),
    p999ns: percentile(samples, 99.9),
    maxNs: samples[samples.length - 1] ?? Number.NaN,
    checksum,
  };
}

/** A string with the same characters but a new identity and no cached hash, as a serial parser decodes it from bytes. */
export function fresh(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

export function formatCell(v: Cell): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '–';
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A right-aligned text table: one row per object, columns from every row's keys in order of appearance (a cell a row lacks stays empty). */
export function table(title: string, rows: Record<string, Cell>[]): string {
  if (rows.length === 0) return `${title}\n(no rows)\n`;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => formatCell(r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ');
  return [title, line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => formatCell(r[c] ?? ''))))].join('\n') + '\n';
}

/** What the figures were measured on. */
export function machine(): Record<string, unknown> {
  const c = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: c[0]?.model,
    cpus: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    execArgv: process.execArgv,
    date: new Date().toISOString(),
  };
}

/** Writes bench/results/<name>.json (creating the folder) with the machine facts first; returns the path. */
export function writeResult(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}${name}.json`;
  writeFileSync(file, `${JSON.stringify({ machine: machine(), ...(data as object) }, null, 2)}\n`);
  return file;
}
