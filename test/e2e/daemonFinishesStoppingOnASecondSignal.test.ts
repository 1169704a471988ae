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

describe('ptgw run given a second signal while it shuts down', () => {
  for (const [first, second] of [['SIGTERM', 'SIGTERM'], ['SIGINT', 'SIGINT'], ['SIGTERM', 'SIGINT']] as const) {
    it(`finishes the shutdown and exits 0 (${first} then ${second})`, async () => {
      sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
      daemon = new CliProcess(['run', '--config', writeGatewayConfig(tempDir(), sim.url)]);
      const [, port] = await daemon.waitForOutput(/"address":"http:\/\/127\.0\.0\.1:(\d+)"/, 20_000);
      // A request in flight keeps the shutdown busy for its grace period: the window for the second signal.
      client = await halfSentRequest(Number(port));
      daemon.child.kill(first);
      await daemon.waitForOutput(/"msg":"shutting down"/);
      daemon.child.kill(second);
      expect(await daemon.exited).toEqual({ code: 0, signal: null });
      expect(daemon.stdout).toMatch(/"msg":"already shutting down/);
    }, 40_000);
  }
});
