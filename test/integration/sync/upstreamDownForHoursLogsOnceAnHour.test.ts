import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelStore } from '../../../src/cache/ModelStore.js';
import { openCache } from '../../../src/cache/openCache.js';
import { ProtimeClient } from '../../../src/protime/ProtimeClient.js';
import { SyncEngine } from '../../../src/protime/SyncEngine.js';
import { loadFixture, startSimulator } from '../../../src/simulator/index.js';
import { silentLogger } from '../../support/silentLogger.js';
import { DEMO_FIXTURE, DEMO_SV } from '../../support/syncHarness.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
const MINUTE = 60_000;

describe('an upstream that stays down', () => {
  it('is logged when it goes down, then once an hour with the count, not on every sync and retry, and once when it is back', async () => {
    const sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    const url = sim.url;
    let clock = Date.now();
    const now = (): number => clock;
    const lines: string[] = [];
    const logger = silentLogger(lines);
    const client = new ProtimeClient({ baseUrl: url, authUrl: url, tenant: 'demo', clientId: 'gw', clientSecret: () => 'demo-secret', userAgent: 'ptgw-test/1.0', logger, backoff: { baseMs: 1, maxMs: 2 }, maxAttempts: 2, now });
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const engine = new SyncEngine({ client, store: new ModelStore(db), targets: [{ id: DEMO_SV, levels: 3 }], logger, fullIntervalMs: 3_600_000, now, onIndex: () => undefined });
    try {
      await engine.run({ full: true });
      await sim.close();
      lines.length = 0;
      // Three hours of syncs a minute apart, every one failing after its retry.
      for (let i = 0; i < 180; i++) {
        clock += MINUTE;
        await expect(engine.run()).rejects.toMatchObject({ code: 'SYNC_NETWORK' });
      }
      const loud = lines.map((l) => JSON.parse(l) as { level: number; msg: string; repeats?: number }).filter((l) => l.level >= 40);
      expect(loud.length).toBeLessThanOrEqual(12);
      expect(loud[0]?.msg).toMatch(/once an hour/);
      expect(loud.some((l) => (l.repeats ?? 0) >= 50)).toBe(true);
      // Back on the same address: one line says so, with the length of the outage.
      const back = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE), port: Number(new URL(url).port) });
      try {
        lines.length = 0;
        clock += MINUTE;
        await engine.run();
        const info = lines.map((l) => JSON.parse(l) as { level: number; msg: string; failedRuns?: number }).filter((l) => l.level >= 30);
        expect(info.find((l) => l.failedRuns !== undefined)?.failedRuns).toBe(180);
      } finally {
        await back.close();
      }
    } finally {
      await engine.stop();
      await client.close();
      db.close();
    }
  }, 60_000);
});
