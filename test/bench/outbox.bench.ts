import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { senderRig } from '../support/senderRig.js';
import type { BenchResult } from './run.js';

/** Durable accepts (one committed, fsynced outbox row each) and the drain of a backlog to the simulator. */
export async function outboxBench({ quick }: { quick: boolean }): Promise<BenchResult> {
  const accepts = quick ? 1000 : 5000;
  const backlog = quick ? 1000 : 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'ptgw-bench-outbox-'));
  const rig = await senderRig(dir);
  try {
    // Each add is its own transaction with synchronous=FULL, as when a terminal accepts.
    let t0 = performance.now();
    for (let i = 0; i < accepts; i++) rig.add(i % 1440);
    const acceptMs = performance.now() - t0;
    for (let i = accepts; i < backlog; i++) rig.add(i % 1440);
    const pending = rig.outbox.stats().pending;

    t0 = performance.now();
    let delivered = 0;
    for (;;) {
      const outcome = await rig.sender.step();
      if (outcome === 'idle') break;
      if (outcome !== 'delivered') throw new Error(`drain stopped: ${outcome}`);
      delivered++;
    }
    const drainMs = performance.now() - t0;
    const received = rig.sim.clockings().length;
    const acceptsPerSec = accepts / (acceptMs / 1000);
    const drainPerSec = delivered / (drainMs / 1000);
    return {
      tables: [
        {
          title: 'Outbox on a real SQLite file (WAL, synchronous=FULL) and delivery over HTTP to the simulator',
          rows: [
            { what: `durable accepts (${accepts} single-row commits)`, 'per second': Math.round(acceptsPerSec), 'ms each': Number((acceptMs / accepts).toFixed(3)) },
            { what: `drain of ${pending} pending rows, one POST /clockings at a time`, 'per second': Math.round(drainPerSec), 'ms each': Number((drainMs / delivered).toFixed(3)) },
          ],
        },
      ],
      targets: [
        { name: 'every row of the backlog delivered exactly once', measured: `${received} received for ${pending} pending`, pass: received === pending && delivered === pending },
      ],
      data: { accepts, acceptMs, acceptsPerSec, backlog: pending, delivered, received, drainMs, drainPerSec },
    };
  } finally {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
