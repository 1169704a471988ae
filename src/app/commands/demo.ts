import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { stringify } from 'yaml';
import { createInterface } from 'node:readline';
import type { ByteStream } from '../../devices/ByteStream.js';
import { FrameDecoder } from '../../devices/FrameDecoder.js';
import { loadFixture, startSimulator, type Simulator } from '../../simulator/index.js';
import type { CliIo } from '../cliIo.js';
import { loadConfig } from '../config/loadConfig.js';
import { DEMO_SCRIPT } from '../demo/demoScript.js';
import { DEMO_FIXTURE } from '../demo/demoTenant.js';
import { virtualTerminals, type VirtualTerminal } from '../demo/virtualTerminals.js';
import { Gateway } from '../Gateway.js';
import { parsePort } from '../parsePort.js';

const SV = 'b2347a7a-d60d-446f-b03b-7es2cc8c3281';
const TERMINALS = ['T7', 'T8'];

export interface DemoOptions {
  script?: boolean;
  port?: string;
  verbose?: boolean;
}

/**
 * `ptgw demo`: the whole product with nothing configured — the simulator with a demo tenant, the
 * gateway against it, two keypad terminals on pseudo-terminals and the status page.
 */
export async function demoCommand(options: DemoOptions, io: CliIo): Promise<number> {
  // Checked before anything starts: a bad flag is the flag's error, not the demo config's.
  const port = parsePort(options.port, options.script === true ? 0 : 8080);
  const dir = mkdtempSync(join(tmpdir(), 'ptgw-demo-'));
  let terminals: VirtualTerminal[] = [];
  let sim: Simulator | undefined;
  let gateway: Gateway | undefined;
  try {
    sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    const virtual = await virtualTerminals(dir, TERMINALS);
    terminals = virtual.terminals;
    writeFileSync(join(dir, 'client-secret'), 'demo-secret\n');
    writeFileSync(join(dir, 'admin-token'), 'demo-admin\n');
    writeFileSync(
      join(dir, 'config.yaml'),
      stringify({
        site: { timeZone: 'Europe/Brussels' },
        protime: { tenant: 'demo', baseUrl: sim.url, clientId: 'gw', clientSecretFile: 'client-secret', structureVersions: [{ id: SV, levels: 3 }] },
        sync: { intervalSeconds: 30 },
        cache: { path: 'cache.sqlite' },
        http: { listen: `127.0.0.1:${port}`, adminTokenFile: 'admin-token' },
        devices: TERMINALS.map((t, i) => ({ id: `kp-${t}`, ...(terminals[i] as VirtualTerminal).device })),
        terminals: TERMINALS.map((t) => ({ id: t, devices: [`kp-${t}`], structureVersion: SV, levels: [1, 2, 3], language: 'en', upstream: { externalCode: t } })),
        outbox: { retryMaxSeconds: 5 },
      }),
    );
    const logger =
      options.script === true && options.verbose !== true
        ? pino({ level: 'silent' })
        : pino({ level: options.verbose === true ? 'debug' : 'warn' }, pino.transport({ target: 'pino-pretty', options: { destination: 2, colorize: false } }));
    gateway = new Gateway({ config: loadConfig({ path: join(dir, 'config.yaml'), env: {} }), logger });
    const url = await gateway.start();
    const report = await gateway.sync.run({ full: true });
    io.out(`ptgw demo: simulated tenant "demo" at ${sim.url}, ${report.definitionsWritten} definitions synced.\n`);
    io.out(`Status page: ${url ?? ''}/\n`);
    if (options.script === true) return await playScript(gateway, sim, terminals, io);
    const typing =
      virtual.kind === 'pty'
        ? ['Two keypad terminals are waiting on pseudo-terminals. Type into one with:', ...terminals.map((t, i) => `  ${TERMINALS[i]}: ${t.howToType ?? ''}`)]
        : ['socat is not installed, so the two terminals are local TCP ports: type here for T7 (T8 needs socat),'];
    io.out(
      [
        '',
        ...typing,
        'then, one line at a time: B0001234 (badge), K1, K100, K26 (codes for the three levels), C (cancel).',
        'Replies start with P (prompt), A (accepted), R (rejected) or I (idle).',
        `Admin token for POST ${url ?? ''}/api/sync: demo-admin`,
        'Ctrl+C stops the demo.',
        '',
      ].join('\n'),
    );
    const stopTyping = virtual.kind === 'tcp' ? await typeHere(terminals[0] as VirtualTerminal, io) : undefined;
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    stopTyping?.();
    return 0;
  } finally {
    await gateway?.stop();
    await Promise.all(terminals.map((t) => t.stop()));
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Plays the walk-through on the terminals' other ends and prints every frame and reply. */
/** Without ptys: the demo's own standard input is terminal T7's keypad, its replies printed back. */
async function typeHere(terminal: VirtualTerminal, io: CliIo): Promise<() => void> {
  const stream = await terminal.open();
  const decoder = new FrameDecoder({ delimiter: '\r\n', maxFrameLength: 256, encoding: 'latin1' });
  stream.on('data', (chunk: Buffer) => {
    for (const line of decoder.push(chunk)) io.out(`T7 < ${line}\n`);
  });
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => void stream.write(Buffer.from(`${line.trim()}\r\n`, 'latin1')));
  return () => rl.close();
}

async function playScript(gateway: Gateway, sim: Simulator, virtual: VirtualTerminal[], io: CliIo): Promise<number> {
  const terminals: { stream: ByteStream; lines: string[] }[] = [];
  for (const v of virtual) {
    const stream = await v.open();
    const decoder = new FrameDecoder({ delimiter: '\r\n', maxFrameLength: 256, encoding: 'latin1' });
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...decoder.push(chunk)));
    terminals.push({ stream, lines });
  }
  try {
    for (const step of DEMO_SCRIPT) {
      const index = step.terminal ?? 0;
      const t = terminals[index] as (typeof terminals)[number];
      io.out(`\n# ${step.say}\n`);
      for (const frame of step.frames) {
        const from = t.lines.length;
        await t.stream.write(Buffer.from(`${frame}\r\n`, 'latin1'));
        await quiet(() => t.lines.length, from);
        io.out(`${TERMINALS[index]} > ${frame}\n`);
        for (const reply of t.lines.slice(from)) io.out(`${TERMINALS[index]} < ${reply}\n`);
      }
    }
    const deadline = Date.now() + 10_000;
    while (gateway.outbox.stats().pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const stats = gateway.outbox.stats();
    io.out(`\nOutbox: ${stats.delivered} delivered, ${stats.pending} pending, ${stats.failed} failed; the simulated Protime received ${sim.clockings().length} activity clocking(s).\n`);
    return stats.pending === 0 && stats.failed === 0 ? 0 : 1;
  } finally {
    for (const t of terminals) await t.stream.close();
  }
}

/** Waits for the first reply, then until the terminal has been quiet for a moment (a step may answer with two lines). */
async function quiet(count: () => number, from: number): Promise<void> {
  const started = Date.now();
  let last = count();
  let lastChange = Date.now();
  while (Date.now() - started < 5000) {
    await new Promise((r) => setTimeout(r, 20));
    const n = count();
    if (n !== last) {
      last = n;
      lastChange = Date.now();
    }
    if (n > from && Date.now() - lastChange > 150) return;
  }
}
