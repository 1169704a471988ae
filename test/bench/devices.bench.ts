import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Gateway } from '../../src/app/Gateway.js';
import { loadConfig } from '../../src/app/config/loadConfig.js';
import type { ByteStream } from '../../src/devices/ByteStream.js';
import { openSerial } from '../../src/devices/serialTransport.js';
import { startSimulatorProcess } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { silentLogger } from '../support/silentLogger.js';
import { DEMO_FIXTURE, DEMO_SV } from '../support/syncHarness.js';
import { waitFor } from '../support/waitFor.js';
import type { TerminalRun } from './devicesTerminals.js';
import type { BenchResult } from './run.js';
import { gc, percentile, type Cell } from './support.js';

const PERIOD_MS = 100;

/** The terminals process on the master ends of `n` fresh pty pairs; resolves once it printed the slave paths. */
async function startTerminals(n: number): Promise<{ proc: ChildProcessWithoutNullStreams; paths: string[]; run: (durationMs: number) => Promise<TerminalRun[]> }> {
  const launcher = fileURLToPath(new URL('../support/ptyPairs.py', import.meta.url));
  const script = fileURLToPath(new URL('./devicesTerminals.ts', import.meta.url));
  const proc = spawn('python3', [launcher, String(n), process.execPath, '--import', 'tsx', script]);
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
  const first = await waitFor(
    () => {
      if (proc.exitCode !== null) throw new Error(`the terminals process exited: ${stderr}`);
      const nl = stdout.indexOf('\n');
      if (nl < 0) throw new Error('no pty paths yet');
      return stdout.slice(0, nl);
    },
    { what: 'the terminals process to open its pty pairs', timeoutMs: 30_000 },
  );
  const paths = JSON.parse(first) as string[];
  const run = async (durationMs: number): Promise<TerminalRun[]> => {
    stdout = '';
    proc.stdin.end(`${JSON.stringify({ periodMs: PERIOD_MS, durationMs })}\n`);
    const code = await exited;
    if (code !== 0) throw new Error(`the terminals process failed (${code}): ${stderr}`);
    return JSON.parse(stdout) as TerminalRun[];
  };
  return { proc, paths, run };
}

/** The gateway with one keypad terminal per pty, against a simulator in its own process. */
async function startGateway(dir: string, simUrl: string, paths: string[]): Promise<Gateway> {
  const file = writeGatewayConfig(dir, simUrl, {
    devices: paths.map((path, i) => ({ id: `kp${i}`, profile: 'generic-keypad', path })),
    // Every terminal reports as Protime terminal T7, which the demo tenant knows.
    terminals: paths.map((_, i) => ({ id: `T${i}`, devices: [`kp${i}`], structureVersion: DEMO_SV, levels: [1, 2, 3], upstream: { externalCode: 'T7' } })),
  });
  const gateway = new Gateway({ config: loadConfig({ path: file, env: {} }), logger: silentLogger() });
  await gateway.start({ listen: false });
  await gateway.sync.run({ full: true });
  await waitFor(() => {
    if (!gateway.devices.every((d) => d.status.connected)) throw new Error('devices not connected yet');
  });
  return gateway;
}

/**
 * The floor under the gateway's figures: the same ptys, terminals and serial transport, answered
 * at once by a responder that knows the expected reply, with no dialog, decision or outbox behind it.
 */
async function startEcho(paths: string[]): Promise<{ close: () => Promise<void> }> {
  const streams: ByteStream[] = [];
  for (const path of paths) {
    const stream = await openSerial({ transport: 'serial', path, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false });
    let buffer = '';
    stream.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const frame = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        void stream.write(Buffer.from(frame === 'K26' ? 'A Cleaning\r\n' : 'P Next level\r\n', 'latin1'));
      }
    });
    streams.push(stream);
  }
  return { close: async () => void (await Promise.all(streams.map((s) => s.close()))) };
}

function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

interface Measured {
  runs: TerminalRun[];
  loopP99: number;
  /** CPU time of the serving process (all its threads: event loop, cache writer, checkpointer) as % of one core. */
  cpuPercent: number;
}

async function measure(run: (durationMs: number) => Promise<TerminalRun[]>, durationMs: number): Promise<Measured> {
  // How long the serving event loop was busy when a frame arrived: the floor under reply latency.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const runs = await run(durationMs);
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - t0;
  loop.disable();
  return { runs, loopP99: loop.percentile(99) / 1e6, cpuPercent: ((used.user + used.system) / 1000 / wall) * 100 };
}

/**
 * How bursty the terminals' frames were, across all terminals: the share written within 0.2 ms of
 * the one before, and the most written within any 1 ms. Independent terminals at 10 frames/s
 * each spread out; terminals in lock-step arrive together (and the last of a burst waits for all
 * the others), so these two say which load the latencies were measured under.
 */
function arrivalPattern(sentAt: readonly number[]): { closePercent: number; mostInOneMs: number } {
  let close = 0;
  let most = 0;
  for (let i = 0, first = 0; i < sentAt.length; i++) {
    if (i > 0 && (sentAt[i] as number) - (sentAt[i - 1] as number) <= 0.2) close++;
    while ((sentAt[i] as number) - (sentAt[first] as number) >= 1) first++;
    most = Math.max(most, i - first + 1);
  }
  return { closePercent: Number(((100 * close) / Math.max(1, sentAt.length - 1)).toFixed(1)), mostInOneMs: most };
}

function summarise(what: string, n: number, { runs, loopP99, cpuPercent }: Measured): { row: Record<string, Cell>; p99: number; lost: number; reordered: number } {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const accepts = runs.flatMap((r) => r.accepts).sort((a, b) => a - b);
  const others = runs.flatMap((r) => r.others).sort((a, b) => a - b);
  const lost = runs.reduce((s, r) => s + r.lost, 0);
  const reordered = runs.reduce((s, r) => s + r.reordered, 0);
  const p99 = percentile(latencies, 99);
  const ms = (v: number): number => Number(v.toFixed(2));
  const pattern = arrivalPattern(runs.flatMap((r) => r.sentAt).sort((a, b) => a - b));
  return {
    p99,
    lost,
    reordered,
    row: {
      terminals: n,
      'answered by': what,
      'frames sent': runs.reduce((s, r) => s + r.sent, 0),
      'sent ≤0.2 ms after another %': pattern.closePercent,
      'most sent in 1 ms': pattern.mostInOneMs,
      replies: latencies.length,
      'p50 ms': ms(percentile(latencies, 50)),
      'p99 ms': ms(p99),
      'max ms': ms(latencies[latencies.length - 1] ?? 0),
      'accept p50 ms': ms(percentile(accepts, 50)),
      'accept p99 ms': ms(percentile(accepts, 99)),
      'other p99 ms': ms(percentile(others, 99)),
      'loop delay p99 ms': ms(loopP99),
      'CPU % of a core': Number(cpuPercent.toFixed(1)),
      lost,
      reordered,
    },
  };
}

/** The gateway's own account of its accepts' durable store (the bucket bounds of ptgw_outbox_store_duration_seconds holding p50 and p99). */
async function storeQuantiles(gateway: Gateway): Promise<{ p50: number; p99: number }> {
  const buckets = (await gateway.metrics.outboxStoreSeconds.get()).values
    .filter((v) => v.metricName?.endsWith('_bucket'))
    .map((v) => ({ le: v.labels.le === '+Inf' ? Infinity : Number(v.labels.le), count: v.value }));
  const total = buckets.find((b) => b.le === Infinity)?.count ?? 0;
  const bound = (q: number): number => (buckets.find((b) => b.count >= total * q)?.le ?? Infinity) * 1000;
  return { p50: bound(0.5), p99: bound(0.99) };
}

export async function devicesBench({ quick }: { quick: boolean }): Promise<BenchResult> {
  const counts = quick ? [1, 4] : (process.env.PTGW_BENCH_TERMINALS ?? '1,16,64').split(',').map(Number);
  const durationMs = quick ? 3000 : Number(process.env.PTGW_BENCH_SECONDS ?? 30) * 1000;
  const rows: Record<string, Cell>[] = [];
  const data: unknown[] = [];
  let worst = { p99: 0, lost: 0, reordered: 0, n: 0, floorP99: 0 };
  for (const n of counts) {
    const floorTerminals = await startTerminals(n);
    const echo = await startEcho(floorTerminals.paths);
    const floor = summarise('instant echo (floor)', n, await measure(floorTerminals.run, durationMs));
    await echo.close();
    rows.push(floor.row);

    const dir = mkdtempSync(join(tmpdir(), 'ptgw-bench-devices-'));
    const sim = await startSimulatorProcess(DEMO_FIXTURE);
    // The simulator stands in for Protime, which runs in the cloud, not on the gateway's two cores:
    // at the lowest priority it takes only the CPU that the gateway and the terminals leave.
    setPriority(sim.proc.child.pid ?? 0, 19);
    const terminals = await startTerminals(n);
    const gateway = await startGateway(dir, sim.url, terminals.paths);
    try {
      // The heap the gateway keeps, before and after the run (after a full GC): a leak per frame or accept shows as growth.
      const heapBefore = heapAfterGc();
      const measured = await measure(terminals.run, durationMs);
      const heapAfter = heapAfterGc();
      const result = summarise('gateway', n, measured);
      const accepted = gateway.terminals.reduce((s, t) => s + t.status.accepted, 0);
      const stats = gateway.outbox.stats();
      const store = await storeQuantiles(gateway);
      rows.push({ ...result.row, 'store p50 ≤ ms': store.p50, 'store p99 ≤ ms': store.p99, accepted, 'in outbox': stats.pending + stats.delivered + stats.failed, 'delivered to Protime': stats.delivered, 'heap MB before': Number(heapBefore.toFixed(1)), 'heap MB after': Number(heapAfter.toFixed(1)) });
      data.push({ n, floor: floor.row, gateway: result.row });
      if (n === counts[counts.length - 1]) worst = { p99: result.p99, lost: result.lost, reordered: result.reordered, n, floorP99: floor.p99 };
    } finally {
      await gateway.stop();
      terminals.proc.kill();
      await sim.proc.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    tables: [
      {
        title: `Frame written to a pty → reply read back; each terminal types 10 frames/s for ${durationMs / 1000} s (terminals on the master ends of real pty pairs in a process of their own; the simulator in another, at nice 19)`,
        rows,
      },
    ],
    notes: [`at ${worst.n} terminals the gateway's p99 is ${(worst.p99 / worst.floorP99).toFixed(2)}× the instant echo's over the same ptys and serial transport`],
    targets: [
      { name: `p99 < 5 ms at ${worst.n} terminals`, measured: `${worst.p99.toFixed(2)} ms`, pass: worst.p99 < 5 },
      { name: 'no reply lost or out of order', measured: `${worst.lost} lost, ${worst.reordered} reordered`, pass: worst.lost === 0 && worst.reordered === 0 },
    ],
    data,
  };
}
