import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DurableWriter } from '../../src/cache/DurableWriter.js';
import { OutboxStore } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { ClockingSender } from '../../src/protime/ClockingSender.js';
import { senderRig } from '../support/senderRig.js';
import { silentLogger } from '../support/silentLogger.js';
import type { BenchResult } from './run.js';

interface Timed {
  ms: number;
  /** Time the event loop was busy (not waiting for I/O) meanwhile: what other terminals would wait for. */
  loopMs: number;
}

/** `count` accepts, `concurrency` in flight at a time. */
async function timeAccepts(count: number, concurrency: number, add: (minute: number) => Promise<unknown>): Promise<Timed> {
  const elu = performance.eventLoopUtilization();
  const t0 = performance.now();
  for (let i = 0; i < count; i += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, (_, k) => add((i + k) % 1440)));
  }
  const ms = performance.now() - t0;
  const used = performance.eventLoopUtilization(elu);
  return { ms, loopMs: used.active };
}

/** The status query as it was before the outbox kept counts: one pass over every row. */
const STATS_BY_SCAN = `SELECT sum(state IN ('pending', 'sending')) AS pending, min(CASE WHEN state IN ('pending', 'sending') THEN created_at END) AS oldest,
  sum(state = 'delivered') AS delivered, sum(state = 'failed') AS failed FROM outbox`;

/** What the status page and each metrics scrape cost with a month of delivered rows kept (retention). */
function timeStats(dir: string, rows: number): { scanMs: number; statsMs: number } {
  const db = openCache(join(dir, 'stats.sqlite'));
  const insert = db.prepare("INSERT INTO outbox (id, terminal_id, terminal_ref, person_id, badge, structure_version, date, time_of_day_minutes, levels, created_at, state) VALUES (?, 'T7', '{}', 1234, 'b', 'sv', '2025-03-04', 480, '[]', ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`row-${i}`, i, i < rows - 10 ? 'delivered' : 'pending');
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const outbox = new OutboxStore(db);
  const scan = db.prepare(STATS_BY_SCAN);
  const time = (f: () => unknown, n: number): number => {
    f();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    return (performance.now() - t0) / n;
  };
  const result = { scanMs: time(() => scan.get(), 20), statsMs: time(() => outbox.stats(), 2000) };
  db.close();
  return result;
}

/** Durable accepts (one committed, fsynced outbox row each; three ways) and the drain of what they left to the simulator. */
export async function outboxBench({ quick }: { quick: boolean }): Promise<BenchResult> {
  const accepts = quick ? 1000 : 5000;
  const dir = mkdtempSync(join(tmpdir(), 'ptgw-bench-outbox-'));
  const rig = await senderRig(dir);
  try {
    // Each add is its own transaction with synchronous=FULL, as when a terminal accepts.
    const inThread = await timeAccepts(accepts, 1, (minute) => rig.add(minute));
    // The daemon's way: commits in a worker thread; alone, and 64 terminals accepting at once.
    const writer = new DurableWriter(rig.db, { logger: silentLogger() });
    const viaWorker = new OutboxStore(rig.db, writer);
    const add = (minute: number): Promise<unknown> => viaWorker.add(rig.selection(minute), { externalCode: 'T7' });
    const worker1 = await timeAccepts(accepts, 1, add);
    const worker64 = await timeAccepts(accepts, 64, add);
    // The rows of all three runs are the backlog drained next, by the daemon's sender and writer:
    // a third one row per round (one disk flush per row, as before rounds), the rest in rounds of 50.
    const pending = rig.outbox.stats().pending;
    const drain = async (batchSize: number, rows: number): Promise<{ delivered: number; ms: number }> => {
      const sender = new ClockingSender({ client: rig.client, outbox: viaWorker, logger: silentLogger(), now: () => rig.now.value, batchSize });
      const t0 = performance.now();
      let delivered = 0;
      while (delivered < rows) {
        const round = await sender.round();
        if (round.failed > 0 || round.postponed) throw new Error(`drain stopped: ${JSON.stringify(round)}`);
        if (round.delivered === 0) break;
        delivered += round.delivered;
      }
      return { delivered, ms: performance.now() - t0 };
    };
    const oneByOne = await drain(1, Math.floor(pending / 3));
    const inRounds = await drain(50, pending);
    await writer.stop();
    const delivered = oneByOne.delivered + inRounds.delivered;
    const statsRows = quick ? 20_000 : 200_000;
    const stats = timeStats(dir, statsRows);
    const received = rig.sim.clockings().length;
    const perSec = (d: { delivered: number; ms: number }): number => d.delivered / (d.ms / 1000);
    const acceptRow = (what: string, m: Timed): Record<string, string | number> => ({
      what,
      'per second': Math.round(accepts / (m.ms / 1000)),
      'ms each': Number((m.ms / accepts).toFixed(3)),
      'event loop busy ms each': Number((m.loopMs / accepts).toFixed(3)),
    });
    return {
      tables: [
        {
          title: 'Outbox on a real SQLite file (WAL, synchronous=FULL) and delivery over HTTP to the simulator',
          rows: [
            acceptRow(`durable accepts, committed on the event loop (${accepts}, one at a time)`, inThread),
            acceptRow(`durable accepts, committed by the worker thread (${accepts}, one at a time)`, worker1),
            acceptRow(`durable accepts, committed by the worker thread (${accepts}, 64 at a time)`, worker64),
            { what: `drain of ${oneByOne.delivered} pending rows, one row per round (a disk flush per row)`, 'per second': Math.round(perSec(oneByOne)), 'ms each': Number((oneByOne.ms / oneByOne.delivered).toFixed(3)) },
            { what: `drain of ${inRounds.delivered} pending rows, rounds of 50 (one POST /clockings at a time)`, 'per second': Math.round(perSec(inRounds)), 'ms each': Number((inRounds.ms / inRounds.delivered).toFixed(3)) },
            { what: `outbox stats with ${statsRows} rows kept, by a scan (before)`, 'per second': Math.round(1000 / stats.scanMs), 'ms each': Number(stats.scanMs.toFixed(3)), 'event loop busy ms each': Number(stats.scanMs.toFixed(3)) },
            { what: `outbox stats with ${statsRows} rows kept, from the counts`, 'per second': Math.round(1000 / stats.statsMs), 'ms each': Number(stats.statsMs.toFixed(4)), 'event loop busy ms each': Number(stats.statsMs.toFixed(4)) },
          ],
        },
      ],
      notes: [`the drain in rounds of 50 delivers ${(perSec(inRounds) / perSec(oneByOne)).toFixed(1)}× as many rows per second as one row per round`, `outbox stats (status page, metrics) ${(stats.scanMs / stats.statsMs).toFixed(0)}× faster from the counts than by a scan at ${statsRows} rows`, `a commit blocks the event loop ${(inThread.loopMs / accepts).toFixed(3)} ms on it, ${(worker1.loopMs / accepts).toFixed(3)} ms through the worker (${(inThread.loopMs / worker1.loopMs).toFixed(1)}× less)`],
      targets: [
        { name: 'every row of the backlog delivered exactly once', measured: `${received} received for ${pending} pending`, pass: received === pending && delivered === pending },
      ],
      data: { accepts, inThread, worker1, worker64, backlog: pending, delivered, received, oneByOne, inRounds, statsRows, stats },
    };
  } finally {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
