import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CliProcess } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { halfSentRequest } from '../support/halfSentRequest.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();
let sim: Simulator | undefined;
let client: Socket | undefined;
let daemon: CliProcess | undefined;
afterEach(async () => {
  client?.destroy();
  await daemon?.stop('SIGKILL');
  await sim?.close();
  sim = undefined;
});

describe('ptgw run stopping while an HTTP client never finishes its request', () => {
  it('cuts the connection and exits 0 on SIGTERM, instead of waiting for it until the stop deadline', async () => {
    sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    daemon = new CliProcess(['run', '--config', writeGatewayConfig(tempDir(), sim.url)]);
    const [, port] = await daemon.waitForOutput(/"address":"http:\/\/127\.0\.0\.1:(\d+)"/, 20_000);
    client = await halfSentRequest(Number(port));
    // A shutdown still waiting for the client at its deadline exits 1, logging so: exit 0 is the proof.
    const exit = await Promise.race([daemon.stop('SIGTERM'), new Promise((r) => setTimeout(() => r('still running'), 25_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(daemon.stdout).not.toContain('shutdown did not finish in time');
  }, 40_000);
});
