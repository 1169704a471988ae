import { Gateway } from '../../src/app/Gateway.js';
import { loadConfig } from '../../src/app/config/loadConfig.js';
import { loadFixture, startSimulator, type Fixture, type Simulator } from '../../src/simulator/index.js';
import { writeGatewayConfig } from './gatewayConfig.js';
import { SocatPair } from './socatPair.js';
import { silentLogger } from './silentLogger.js';
import { DEMO_FIXTURE, DEMO_SV } from './syncHarness.js';
import { TestTerminal } from './TestTerminal.js';
import { waitFor } from './waitFor.js';
import { usePerTest } from './perTest.js';

export interface GatewayRig {
  sim: Simulator;
  gateway: Gateway;
  pairs: SocatPair[];
  terminals: TestTerminal[];
  logs: string[];
  /** The test's side of terminal `i` (0 = the first). */
  terminal: (i?: number) => TestTerminal;
  close: () => Promise<void>;
}

type RigOptions = Parameters<typeof gatewayRig>[1];

/** For a test file: a fresh rig per test (in its own temp folder), closed after it. */
export function useGatewayRig(): (options?: RigOptions) => Promise<GatewayRig> {
  return usePerTest(gatewayRig);
}

/**
 * The whole gateway in this process against the simulator, with `count` keypad terminals on real
 * pseudo-terminals (socat): the gateway opens one end with serialport, the test types on the other.
 */
export async function gatewayRig(
  dir: string,
  options: {
    count?: number;
    edit?: (f: Fixture) => void;
    extraConfig?: Record<string, unknown>;
    timeoutSeconds?: number;
    upstreamCode?: string;
    /** Also a serial barcode scanner (device sc1) bound to the first terminal; its side is terminal(count). */
    scanner?: boolean;
    /** The gateway's wall clock (default Date.now). */
    now?: () => number;
  } = {},
): Promise<GatewayRig> {
  const fixture = loadFixture(DEMO_FIXTURE);
  options.edit?.(fixture);
  const sim = await startSimulator({ fixture });
  const count = options.count ?? 1;
  const pairs: SocatPair[] = [];
  for (let i = 0; i < count; i++) pairs.push(await new SocatPair(dir, `kp${i + 1}`).start());
  const devices = pairs.map((p, i) => ({ id: `kp${i + 1}`, profile: 'generic-keypad', path: p.gatewayPath }));
  if (options.scanner === true) {
    const scanner = await new SocatPair(dir, 'sc1').start();
    pairs.push(scanner);
    devices.push({ id: 'sc1', profile: 'serial-barcode-scanner', path: scanner.gatewayPath });
  }
  const file = writeGatewayConfig(dir, sim.url, {
    devices,
    terminals: pairs.slice(0, count).map((_, i) => ({
      id: `T${7 + i}`,
      devices: i === 0 && options.scanner === true ? ['kp1', 'sc1'] : [`kp${i + 1}`],
      structureVersion: DEMO_SV,
      levels: [1, 2, 3],
      timeoutSeconds: options.timeoutSeconds ?? 15,
      upstream: { externalCode: options.upstreamCode ?? `T${7 + i}` },
    })),
    ...options.extraConfig,
  });
  const logs: string[] = [];
  const gateway = new Gateway({ config: loadConfig({ path: file, env: {} }), logger: silentLogger(logs), senderBackoff: { baseMs: 20, maxMs: 200 }, ...(options.now === undefined ? {} : { now: options.now }) });
  await gateway.start({ listen: false });
  await gateway.sync.run({ full: true });
  await waitFor(() => {
    if (!gateway.devices.every((d) => d.status.connected)) throw new Error('devices not connected yet');
  });
  const terminals = await Promise.all(pairs.map((p) => TestTerminal.open(p.terminalPath)));
  const rig: GatewayRig = {
    sim,
    gateway,
    pairs,
    terminals,
    logs,
    terminal: (i = 0) => {
      const t = terminals[i];
      if (t === undefined) throw new Error(`no terminal ${i}`);
      return t;
    },
    close: async () => {
      await Promise.all(terminals.map((t) => t.close()));
      await gateway.stop();
      await Promise.all(pairs.map((p) => p.kill()));
      // A test may have replaced the simulator (upstream back after an outage): close the current one.
      await rig.sim.close();
    },
  };
  return rig;
}
