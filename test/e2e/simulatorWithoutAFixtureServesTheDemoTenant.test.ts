import { afterEach, describe, expect, it } from 'vitest';
import { CliProcess, runCli } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();
const procs: CliProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop();
});

describe('ptgw simulator without --fixture', () => {
  it('serves the demo tenant, so a gateway configured for it syncs from the simulator alone', async () => {
    const sim = new CliProcess(['simulator', '--port', '0']);
    procs.push(sim);
    const url = (await sim.waitForOutput(/Protime simulator for tenant "demo" listening on (http:\/\/\S+)/))[1] as string;

    const sync = await runCli(['sync', '--config', writeGatewayConfig(tempDir(), url)]);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/31 definitions written/);
  });
});
