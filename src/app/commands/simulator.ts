import { PtgwError } from '../../core/errors.js';
import { loadFixture, startSimulator } from '../../simulator/index.js';
import type { CliIo } from '../cliIo.js';
import { DEMO_FIXTURE } from '../demo/demoTenant.js';
import { parsePort } from '../parsePort.js';

/** `ptgw simulator`: the Protime API simulator alone, until SIGINT/SIGTERM; without --fixture it serves the demo tenant. */
export async function simulatorCommand(options: { port?: string; host?: string; fixture?: string; pageSize?: string }, io: CliIo): Promise<number> {
  const port = parsePort(options.port, 18080);
  const pageSize = options.pageSize === undefined ? undefined : Number(options.pageSize);
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) throw new PtgwError('USAGE', `--page-size must be a positive integer (got "${options.pageSize}").`);
  const fixture = loadFixture(options.fixture ?? DEMO_FIXTURE);
  const sim = await startSimulator({ fixture, port, host: options.host ?? '127.0.0.1', ...(pageSize === undefined ? {} : { pageSize }) });
  io.out(`Protime simulator for tenant "${fixture.tenant}" listening on ${sim.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return 0;
}
