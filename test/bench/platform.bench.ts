import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Checkpointer } from '../../src/cache/Checkpointer.js';
import { DurableWriter } from '../../src/cache/DurableWriter.js';
import { OutboxStore } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { parseDay } from '../../src/core/day.js';
import { silentLogger } from '../support/silentLogger.js';
import type { BenchResult } from './run.js';
import { percentile, type Cell } from './support.js';

const PERIOD_MS = 5;
/** A sync's commit of 20 MB: a large incremental sync, a small full one. */
const SYNC_PAGES = 5000;

/** Runs `op` every PERIOD_MS (about the rate of the devices bench's accepts) for `ms`; the latency of each, sorted. */
async function paced(ms: number, op: () => Promise<unknown> | unknown): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    await op();
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, PERIOD_MS));
  }
  return latencies.sort((a, b) => a - b);
}

function row(what: string, sorted: number[]): Record<string, Cell> {
  const ms = (v: number): number => Number(v.toFixed(3));
  return { what, samples: sorted.length, 'p50 ms': ms(percentile(sorted, 50)), 'p99 ms': ms(percentile(sorted, 99)), 'max ms': ms(sorted[sorted.length - 1] ?? 0) };
}

/**
 * What this machine gives any design, measured with nothing else running: the parts an accept's
 * reply waits for beyond the pty round trip (the devices bench's floor). An accept needs one
 * durable commit and two hand-offs between threads (to the writer and back), so the figures here
 * bound from below what the devices bench can show for accepts on the same machine.
 */
export async function platformBench({ quick }: { quick: boolean }): Promise<BenchResult> {
  const ms = quick ? 2000 : 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'ptgw-bench-platform-'));
  try {
    const timers = await paced(ms, () => new Promise<void>((r) => setTimeout(r, 1)));

    const echo = new Worker("const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));", { eval: true });
    const hops = await paced(ms, () => new Promise((r) => { echo.once('message', r); echo.postMessage(0); }));
    await echo.terminate();

    const plain = new Database(join(dir, 'plain.sqlite'));
    plain.pragma('journal_mode = WAL');
    plain.pragma('synchronous = FULL');
    plain.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = plain.prepare('INSERT INTO t (v) VALUES (?)');
    const commits = await paced(ms, () => insert.run('x'.repeat(300)));
    plain.close();

    // As the gateway runs: checkpoints by the checkpointer's worker only, never inside an accept's commit.
    const db = openCache(join(dir, 'cache.sqlite'));
    const writer = new DurableWriter(db, { logger: silentLogger() });
    const checkpointer = new Checkpointer(db, { everyMs: 5000, logger: silentLogger(), others: [writer] });
    const outbox = new OutboxStore(db, writer);
    let minute = 0;
    const date = parseDay('2025-03-04') as number;
    const accept = (): Promise<unknown> =>
      outbox.add({ terminalId: 'T1', badge: '0001234', personId: 1234, structureVersion: 'sv', date, minuteOfDay: minute++ % 1440, at: Date.now(), levels: [{ level: 1, definitionId: 'd1', code: '1', name: 'Maintenance' }] }, { id: 7 });
    const stores = await paced(ms, accept);
    // A sync's commit leaves its pages in the WAL; the next accept must not be the commit that copies them into the main file.
    db.exec('CREATE TABLE bench_sync (v BLOB)');
    const syncInsert = db.prepare('INSERT INTO bench_sync (v) VALUES (?)');
    const afterSync: number[] = [];
    for (let i = 0; i < (quick ? 3 : 10); i++) {
      db.transaction(() => {
        for (let p = 0; p < SYNC_PAGES; p++) syncInsert.run(Buffer.alloc(4000, p % 256));
      })();
      const t0 = performance.now();
      await accept();
      afterSync.push(performance.now() - t0);
    }
    afterSync.sort((a, b) => a - b);
    await writer.stop();
    await checkpointer.stop();
    db.close();

    const rows = [
      row('timer of 1 ms, lateness included (scheduling noise)', timers),
      row('message to a worker thread and back', hops),
      row('durable SQLite commit of one row (WAL, synchronous=FULL), on the calling thread', commits),
      row("an accept's outbox row stored through the writer thread (commit + two hand-offs; checkpoints in a worker of their own, as in the gateway)", stores),
      row(`the same, the first after a sync's commit of ${SYNC_PAGES.toLocaleString('en-US')} pages`, afterSync),
    ];
    return {
      tables: [{ title: `Building blocks of an accept's latency, one every ${PERIOD_MS} ms for ${ms / 1000} s each, on an otherwise idle gateway`, rows }],
      notes: [
        `an accept's reply waits for its row to be stored (here p50 ${percentile(stores, 50).toFixed(2)} ms, p99 ${percentile(stores, 99).toFixed(2)} ms) on top of the pty round trip; with 64 terminals 1 frame in 4 is an accept, so the devices bench's p99 is near the accepts' p96`,
      ],
      targets: [],
      data: { ms, periodMs: PERIOD_MS, timers: rows[0], hops: rows[1], commits: rows[2], stores: rows[3], afterSync: rows[4] },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
