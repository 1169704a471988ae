import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CliProcess } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { halfSentRequest } from '../support/halfSentRequest.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';

const HANG = fileURLToPath(new URL('../fixtures/faults/hangOnHttpClose.mjs', import.meta.url));
const UNIT = new URL('../../systemd/ptgw.service', import.meta.url);
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

describe('ptgw run whose shutdown hangs', () => {
  it('gives up before systemd would SIGKILL it (TimeoutStopSec=20s), logs why and exits 1', async () => {
    sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    daemon = new CliProcess(['run', '--config', writeGatewayConfig(tempDir(), sim.url)], { NODE_OPTIONS: `--import ${HANG}` });
    const [, port] = await daemon.waitForOutput(/"address":"http:\/\/127\.0\.0\.1:(\d+)"/, 20_000);
    client = await halfSentRequest(Number(port));
    daemon.child.kill('SIGTERM');
    const exit = await Promise.race([daemon.exited, new Promise((r) => setTimeout(() => r('still running'), 25_000))]);
    expect(exit).toEqual({ code: 1, signal: null });
    // The deadline it gave up at, as it logs it, is shorter than the one the shipped unit gives systemd.
    const gaveUp = /"level":50,.*"timeoutMs":(\d+),"msg":"shutdown did not finish in time/.exec(daemon.stdout);
    expect(gaveUp).not.toBeNull();
    const stopSec = /^TimeoutStopSec=(\d+)s$/m.exec(readFileSync(UNIT, 'utf8'));
    expect(stopSec).not.toBeNull();
    expect(Number(gaveUp?.[1])).toBeLessThan(Number(stopSec?.[1]) * 1000);
  }, 60_000);
});
