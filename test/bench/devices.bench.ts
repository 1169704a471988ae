import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Gateway } from '../../src/app/Gateway.js';
import { loadConfig } from '../../src/app/config/loadConfig.js';
import { startSimulatorProcess } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { silentLogger } from '../support/silentLogger.js';
import { SocatPair } from '../support/socatPair.js';
import { DEMO_FIXTURE, DEMO_SV } from '../support/syncHarness.js';
import { waitFor } from '../support/waitFor.js';
import type { TerminalRun } from './devicesTerminals.js';
import type { BenchResult } from './run.js';
import { percentile } from './support.js';

/** The gateway with `n` keypad terminals on socat ptys, against a simulator in its own process. */
async function benchGateway(dir: string, simUrl: string, n: number): Promise<{ gateway: Gateway; pairs: SocatPair[] }> {
  const pairs: SocatPair[] = [];
  for (let i = 0; i < n; i++) pairs.push(await new SocatPair(dir, `kp${i}`).start());
  const file = writeGatewayConfig(dir, simUrl, {
    devices: pairs.map((p, i) => ({ id: `kp${i}`, profile: 'generic-keypad', path: p.gatewayPath })),
    // Every terminal reports as Protime terminal T7, which the demo tenant knows.
    terminals: pairs.map((_, i) => ({ id: `T${i}`, devices: [`kp${i}`], structureVersion: DEMO_SV, levels: [1, 2, 3], upstream: { externalCode: 'T7' } })),
  });
  const gateway = new Gateway({ config: loadConfig({ path: file, env: {} }), logger: silentLogger() });
  await gateway.start({ listen: false });
  await gateway.sync.run({ full: true });
  await waitFor(() => {
    if (!gateway.devices.every((d) => d.status.connected)) throw new Error('devices not connected yet');
  });
  return { gateway, pairs };
}

function terminalsInProcess(paths: string[], periodMs: number, durationMs: number): Promise<TerminalRun[]> {
  const script = fileURLToPath(new URL('./devicesTerminals.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, JSON.stringify({ paths, periodMs, durationMs })], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as TerminalRun[]);
    });
  });
}

export async function devicesBench({ quick }: { quick: boolean }): Promise<BenchResult> {
  const counts = quick ? [1, 4] : (process.env.PTGW_BENCH_TERMINALS ?? '1,16,64').split(',').map(Number);
  const durationMs = quick ? 3000 : Number(process.env.PTGW_BENCH_SECONDS ?? 30) * 1000;
  const rows: Record<string, string | number>[] = [];
  const data: unknown[] = [];
  let worst = { p99: 0, lost: 0, reordered: 0, n: 0 };
  for (const n of counts) {
    const dir = mkdtempSync(join(tmpdir(), 'ptgw-bench-devices-'));
    const { proc, url } = await startSimulatorProcess(DEMO_FIXTURE);
    const { gateway, pairs } = await benchGateway(dir, url, n);
    try {
      // How long the gateway's event loop was busy when a frame arrived: the floor under reply latency.
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      const runs = await terminalsInProcess(pairs.map((p) => p.terminalPath), 100, durationMs);
      loop.disable();
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
        'loop delay p99 ms': Number((loop.percentile(99) / 1e6).toFixed(2)),
        'accept p50 ms': Number(percentile(acceptLatencies, 50).toFixed(2)),
        'accept p99 ms': Number(percentile(acceptLatencies, 99).toFixed(2)),
        lost,
        reordered,
        accepted: gateway.terminals.reduce((s, t) => s + t.status.accepted, 0),
        'in outbox': gateway.outbox.stats().pending + gateway.outbox.stats().delivered + gateway.outbox.stats().failed,
      });
      data.push({ n, sent, replies: latencies.length, p50: percentile(latencies, 50), p99, lost, reordered });
      if (n === counts[counts.length - 1]) worst = { p99, lost, reordered, n };
    } finally {
      await gateway.stop();
      await Promise.all(pairs.map((p) => p.kill()));
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    tables: [
      {
        title: `Frame written to the pty → reply read back; each terminal types 10 frames/s for ${durationMs / 1000} s (terminals and simulator each in a process of their own)`,
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
