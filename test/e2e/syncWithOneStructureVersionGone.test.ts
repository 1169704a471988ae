import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { runCli } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { DEMO_FIXTURE, DEMO_SV } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';

const GONE = '00000000-0000-0000-0000-000000000000';
const tempDir = useTempDir();
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('ptgw sync when one of two structure versions is gone upstream', () => {
  it('exits 1 naming the one left out, and says what it did sync', async () => {
    sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    const structureVersions = [{ id: DEMO_SV, levels: 3 }, { id: GONE, levels: 2 }];
    const config = writeGatewayConfig(tempDir(), sim.url, { protime: { tenant: 'demo', baseUrl: sim.url, clientId: 'gw', clientSecretFile: 'client-secret', structureVersions } });
    const r = await runCli(['sync', '--full', '--config', config]);
    expect(r.code).toBe(1);
    const errLines = r.stderr.split('\n').filter((l) => l !== '');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toContain(GONE);
    // The other structure version is in the cache: the person running it is told so.
    expect(r.stdout).toMatch(/31 definitions written/);
  }, 60_000);
});
