import type { Socket } from 'node:net';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CliProcess } from './cli.js';
import { writeGatewayConfig } from './gatewayConfig.js';
import { halfSentRequest } from './halfSentRequest.js';
import { DEMO_FIXTURE } from './syncHarness.js';

export interface DaemonProcess {
  sim: Simulator;
  /** `ptgw run` as a child process, running (its HTTP port open) once this is handed out. */
  daemon: CliProcess;
  /** The daemon's HTTP port. */
  port: number;
  /** Opens a client that never finishes its request (see halfSentRequest); destroyed on close. */
  hangingClient: () => Promise<Socket>;
  close: () => Promise<void>;
}

/**
 * The simulator with the demo tenant and `ptgw run` against it, without terminals; `env` for the
 * child (a fault preloaded with NODE_OPTIONS), `prepare` to set up the simulator before it starts,
 * `config` for top-level config keys in place of writeGatewayConfig's.
 */
export async function daemonProcess(dir: string, options: { env?: NodeJS.ProcessEnv; prepare?: (sim: Simulator) => void; config?: Record<string, unknown> } = {}): Promise<DaemonProcess> {
  const sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
  options.prepare?.(sim);
  const daemon = new CliProcess(['run', '--config', writeGatewayConfig(dir, sim.url, options.config)], options.env);
  const clients: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const c of clients) c.destroy();
    await daemon.stop('SIGKILL');
    await sim.close();
  };
  try {
    const [, port] = await daemon.waitForOutput(/"address":"http:\/\/127\.0\.0\.1:(\d+)".*"msg":"ptgw running"/, 20_000);
    return {
      sim,
      daemon,
      port: Number(port),
      hangingClient: async () => {
        const client = await halfSentRequest(Number(port));
        clients.push(client);
        return client;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
