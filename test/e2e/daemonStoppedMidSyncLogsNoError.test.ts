import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CliProcess } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const tempDir = useTempDir();
let sim: Simulator | undefined;
let daemon: CliProcess | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  await sim?.close();
  sim = undefined;
});

describe('ptgw run stopped while a sync is under way', () => {
  it('exits 0 and puts no error in the journal: a stopped sync is not a failed one', async () => {
    sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    // Protime answers the listing slowly: the first sync is still running when the stop comes.
    sim.faults.add({ kind: 'latency', ms: 5000, times: -1, match: { path: '/activity-definitions' } });
    daemon = new CliProcess(['run', '--config', writeGatewayConfig(tempDir(), sim.url)]);
    await daemon.waitForOutput(/"msg":"ptgw running"/, 20_000);
    await waitFor(() => expect(sim?.requests().some((r) => r.path.includes('/activity-definitions') && r.status === null)).toBe(true), { what: 'the sync to wait on the slow listing' });
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    expect(daemon.stdout).toMatch(/"msg":"sync stopped: the gateway is shutting down"/);
    const errors = daemon.stdout.split('\n').filter((line) => /"level":(50|60)/.test(line));
    expect(errors).toEqual([]);
  }, 40_000);
});
