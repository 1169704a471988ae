import { join } from 'node:path';
import { OutboxStore, type OutboxStats } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CliProcess } from './cli.js';
import { writeGatewayConfig } from './gatewayConfig.js';
import { SocatPair } from './socatPair.js';
import { DEMO_FIXTURE, DEMO_SV } from './syncHarness.js';
import { TestTerminal } from './TestTerminal.js';
import { waitFor } from './waitFor.js';

/** `ptgw run` as a real child process with one keypad terminal on a pty pair, against `simUrl`. */
export class DaemonRig {
  proc: CliProcess | undefined;
  terminal: TestTerminal | undefined;
  readonly config: string;

  private constructor(
    readonly dir: string,
    readonly pair: SocatPair,
    simUrl: string,
  ) {
    this.config = writeGatewayConfig(dir, simUrl, {
      devices: [{ id: 'kp1', profile: 'generic-keypad', path: pair.gatewayPath }],
      terminals: [{ id: 'T7', devices: ['kp1'], structureVersion: DEMO_SV, levels: [1, 2, 3], upstream: { externalCode: 'T7' } }],
      sync: { intervalSeconds: 5, fullIntervalSeconds: 60 },
      log: { level: 'info' },
      outbox: { retryMaxSeconds: 1 },
    });
  }

  static async create(dir: string, simUrl: string): Promise<DaemonRig> {
    const pair = await new SocatPair(dir, 'kp').start();
    return new DaemonRig(dir, pair, simUrl);
  }

  get cachePath(): string {
    return join(this.dir, 'cache.sqlite');
  }

  /** The outbox counts as the daemon committed them, read from its cache file beside it. */
  outboxStats(): OutboxStats {
    const db = openCache(this.cachePath, { readonly: true });
    try {
      return new OutboxStore(db).stats();
    } finally {
      db.close();
    }
  }

  /** Starts the daemon and waits until its terminal port is open. */
  async start(): Promise<TestTerminal> {
    this.proc = new CliProcess(['run', '--config', this.config]);
    await this.proc.waitForOutput(/"msg":"ptgw running"/, 20_000);
    await waitFor(() => {
      if (!/"module":"device".*"msg":"connected"/.test(this.proc?.stdout ?? '')) throw new Error('device not connected yet');
    }, { timeoutMs: 10_000 });
    this.terminal = await TestTerminal.open(this.pair.terminalPath);
    return this.terminal;
  }

  async kill(): Promise<void> {
    await this.terminal?.close();
    await this.proc?.stop('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.terminal?.close();
    await this.proc?.stop('SIGTERM');
    await this.pair.kill();
  }
}

/** The simulator with the demo tenant and a DaemonRig against it, not started yet; close stops both. */
export async function daemonAgainstSimulator(dir: string): Promise<{ sim: Simulator; daemon: DaemonRig; close: () => Promise<void> }> {
  const sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
  const daemon = await DaemonRig.create(dir, sim.url);
  return {
    sim,
    daemon,
    close: async () => {
      await daemon.stop();
      await sim.close();
    },
  };
}
