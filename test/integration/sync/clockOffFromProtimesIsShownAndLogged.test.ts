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

async function syncedGateway(sim: Simulator, skewMs: number): Promise<{ url: string; logs: string[] }> {
  const logs: string[] = [];
  const gateway = new Gateway({ config: loadConfig({ path: writeGatewayConfig(tempDir(), sim.url), env: {} }), logger: silentLogger(logs), now: () => Date.now() + skewMs });
  closers.push(() => gateway.stop());
  const url = (await gateway.start()) as string;
  await gateway.sync.run({ full: true });
  return { url, logs };
}

const warnings = (logs: string[]): string[] =>
  logs.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40 && /clock of this box/.test(l.msg)).map((l) => l.msg);

describe("a box whose clock is off from Protime's", () => {
  it('shows by how much in /api/status, /metrics and the status page, and warns once in the log', async () => {
    const sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    closers.push(() => sim.close());
    // Ten minutes slow: no NTP, say. Every clocking would be ten minutes early.
    const { url, logs } = await syncedGateway(sim, -600_000);

    const status = (await (await fetch(`${url}/api/status`)).json()) as { sync: { clockOffsetSeconds: number } };
    expect(status.sync.clockOffsetSeconds).toBeGreaterThanOrEqual(-602);
    expect(status.sync.clockOffsetSeconds).toBeLessThanOrEqual(-598);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^ptgw_clock_offset_seconds -(59[89]|60[012])$/m);
    expect(await (await fetch(`${url}/`)).text()).toMatch(/Clock: this box is (9 min 5\d s|10 min( [0-2] s)?) behind Protime&#39;s clock/);
    // The sync made several requests, each with its Date: one warning, not one per answer.
    expect(warnings(logs)).toHaveLength(1);
    expect(warnings(logs)[0]).toMatch(/behind Protime's clock; clockings carry this box's time/);
  });

  it('shows nothing alarming and logs nothing when the clock agrees', async () => {
    const sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    closers.push(() => sim.close());
    const { url, logs } = await syncedGateway(sim, 0);
    const status = (await (await fetch(`${url}/api/status`)).json()) as { sync: { clockOffsetSeconds: number } };
    expect(Math.abs(status.sync.clockOffsetSeconds)).toBeLessThanOrEqual(2);
    expect(await (await fetch(`${url}/`)).text()).not.toContain('Clock:');
    expect(warnings(logs)).toHaveLength(0);
  });
});
