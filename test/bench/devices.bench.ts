import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayRig } from '../support/gatewayRig.js';
import type { TestTerminal } from '../support/TestTerminal.js';
import type { BenchResult } from './run.js';
import { percentile } from './support.js';

/** One accepted dialog, frame by frame, with the reply each frame must get (first letter). */
const DIALOG: [frame: string, reply: string][] = [
  ['B0001234', 'P'],
  ['K1', 'P'],
  ['K100', 'P'],
  ['K26', 'A'],
];

interface TerminalRun {
  latencies: number[];
  /** Latencies of accept replies alone: they wait for the fsync of the outbox row. */
  accepts: number[];
  sent: number;
  lost: number;
  reordered: number;
}

/** Types one frame every `periodMs` on a terminal for `durationMs`, timing each reply. */
async function drive(t: TestTerminal, periodMs: number, durationMs: number): Promise<TerminalRun> {
  const run: TerminalRun = { latencies: [], accepts: [], sent: 0, lost: 0, reordered: 0 };
  const pending: { at: number; expect: string }[] = [];
  const from = t.lines.length;
  let seen = from;
  const collect = (): void => {
    while (seen < t.lines.length) {
      const line = t.lines[seen++] as string;
      const p = pending.shift();
      if (p === undefined) {
        run.reordered++;
        continue;
      }
      if (line[0] !== p.expect) run.reordered++;
      const latency = (t.times[seen - 1] as number) - p.at;
      run.latencies.push(latency);
      if (p.expect === 'A') run.accepts.push(latency);
    }
  };
  const end = performance.now() + durationMs;
  let step = 0;
  // Staggered start, so that the terminals do not all type in the same millisecond.
  await new Promise((r) => setTimeout(r, Math.random() * periodMs));
  while (performance.now() < end) {
    const [frame, reply] = DIALOG[step % DIALOG.length] as [string, string];
    pending.push({ at: performance.now(), expect: reply });
    await t.send(frame);
    run.sent++;
    step++;
    await new Promise((r) => setTimeout(r, periodMs));
    collect();
  }
  await new Promise((r) => setTimeout(r, 1000));
  collect();
  run.lost = pending.length;
  return run;
}

export async function devicesBench({ quick }: { quick: boolean }): Promise<BenchResult> {
  const counts = quick ? [1, 4] : [1, 16, 64];
  const durationMs = quick ? 3000 : 30_000;
  const rows: Record<string, string | number>[] = [];
  const data: unknown[] = [];
  let worst = { p99: 0, lost: 0, reordered: 0, n: 0 };
  for (const n of counts) {
    const dir = mkdtempSync(join(tmpdir(), 'ptgw-bench-devices-'));
    // All terminals report as Protime terminal T7, which the demo tenant knows.
    const rig = await gatewayRig(dir, { count: n, upstreamCode: 'T7' });
    try {
      const runs = await Promise.all(rig.terminals.map((t) => drive(t, 100, durationMs)));
      const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const sent = runs.reduce((s, r) => s + r.sent, 0);
      const lost = runs.reduce((s, r) => s + r.lost, 0);
      const reordered = runs.reduce((s, r) => s + r.reordered, 0);
      const p99 = percentile(latencies, 99);
      const acceptLatencies = runs.flatMap((r) => r.accepts).sort((a, b) => a - b);
      rows.push({
        terminals: n,
        'frames sent': sent,
        replies: latencies.length,
        'p50 ms': Number(percentile(latencies, 50).toFixed(2)),
        'p99 ms': Number(p99.toFixed(2)),
        'max ms': Number((latencies[latencies.length - 1] ?? 0).toFixed(2)),
        'accept p50 ms': Number(percentile(acceptLatencies, 50).toFixed(2)),
        'accept p99 ms': Number(percentile(acceptLatencies, 99).toFixed(2)),
        lost,
        reordered,
        accepted: rig.gateway.terminals.reduce((s, t) => s + t.status.accepted, 0),
        'in outbox': rig.gateway.outbox.stats().pending + rig.gateway.outbox.stats().delivered + rig.gateway.outbox.stats().failed,
      });
      data.push({ n, sent, replies: latencies.length, p50: percentile(latencies, 50), p99, lost, reordered });
      if (n === counts[counts.length - 1]) worst = { p99, lost, reordered, n };
    } finally {
      await rig.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    tables: [
      {
        title: `Frame written to the pty → reply read back; each terminal types 10 frames/s for ${durationMs / 1000} s (gateway, simulator and terminals in one process)`,
        rows,
      },
    ],
    targets: [
      { name: `p99 < 5 ms at ${worst.n} terminals`, measured: `${worst.p99.toFixed(2)} ms`, pass: worst.p99 < 5 },
      { name: 'no reply lost or out of order', measured: `${worst.lost} lost, ${worst.reordered} reordered`, pass: worst.lost === 0 && worst.reordered === 0 },
    ],
    data,
  };
}
