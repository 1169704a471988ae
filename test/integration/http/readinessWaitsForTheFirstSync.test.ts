import { afterEach, describe, expect, it } from 'vitest';
import { Gateway } from '../../../src/app/Gateway.js';
import { loadConfig } from '../../../src/app/config/loadConfig.js';
import { loadFixture, startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { writeGatewayConfig } from '../../support/gatewayConfig.js';
import { silentLogger } from '../../support/silentLogger.js';
import { DEMO_FIXTURE } from '../../support/syncHarness.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function readyz(url: string): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
}

async function startGateway(file: string): Promise<{ gateway: Gateway; url: string }> {
  const gateway = new Gateway({ config: loadConfig({ path: file, env: {} }), logger: silentLogger() });
  closers.push(() => gateway.stop());
  const url = (await gateway.start()) as string;
  return { gateway, url };
}

describe('readiness of a gateway', () => {
  it('is 503 on a cache never synced, 200 once a sync landed, and 200 at once after a restart on that cache while Protime is down', async () => {
    const sim: Simulator = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    closers.push(() => sim.close().catch(() => undefined));
    // Protime refuses every token at first: the gateway starts on an empty cache and cannot fill it.
    sim.faults.add({ kind: 'status', status: 503, times: -1, match: { path: '/connect/token' } });
    const file = writeGatewayConfig(tempDir(), sim.url);

    const first = await startGateway(file);
    await first.gateway.sync.run({ full: true }).catch(() => undefined);
    const empty = await readyz(first.url);
    expect(empty.status).toBe(503);
    expect(empty.body.status).toBe('loading');
    expect(empty.body.reason).toMatch(/no sync/i);

    sim.faults.clear();
    await first.gateway.sync.run({ full: true });
    expect(await readyz(first.url)).toEqual({ status: 200, body: { status: 'ready' } });
    await first.gateway.stop();

    // Decisions come from the cache when Protime is unreachable: a restarted gateway is ready before any sync.
    await sim.close();
    const second = await startGateway(file);
    expect(await readyz(second.url)).toEqual({ status: 200, body: { status: 'ready' } });
  });
});
