import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelStore } from '../../../src/cache/ModelStore.js';
import { openCache } from '../../../src/cache/openCache.js';
import { ProtimeClient } from '../../../src/protime/ProtimeClient.js';
import { SyncEngine } from '../../../src/protime/SyncEngine.js';
import { loadFixture, startSimulator } from '../../../src/simulator/index.js';
import { startProxy } from '../../support/rewritingProxy.js';
import { DEMO_FIXTURE, DEMO_SV } from '../../support/syncHarness.js';
import { silentLogger } from '../../support/silentLogger.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('expanded definitions that write an empty list as null', () => {
  it('are synced with no usages or restrictions, without asking for them separately', async () => {
    const sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    let rewritten = 0;
    const proxy = await startProxy(sim.url, (_method, path, status, headers, body) => {
      if (!path.includes('/activity-definitions') || status !== 200) return undefined;
      const page = JSON.parse(body) as { value?: Record<string, unknown>[] };
      for (const d of page.value ?? []) {
        for (const key of ['usages', 'restrictions']) {
          if (Array.isArray(d[key]) && d[key].length === 0) {
            d[key] = null;
            rewritten++;
          }
        }
      }
      return { status, headers, body: JSON.stringify(page) };
    });
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    const client = new ProtimeClient({ baseUrl: proxy.url, authUrl: proxy.url, tenant: 'demo', clientId: 'gw', clientSecret: () => 'demo-secret', userAgent: 't/1', logger: silentLogger(), backoff: { baseMs: 5, maxMs: 50 } });
    const engine = new SyncEngine({ client, store, targets: [{ id: DEMO_SV, levels: 3 }], logger: silentLogger(), fullIntervalMs: 3_600_000, onIndex: () => undefined });
    cleanup = async () => {
      await engine.stop();
      await client.close();
      db.close();
      await proxy.close();
      await sim.close();
    };

    await engine.run({ full: true });
    expect(rewritten).toBeGreaterThan(0);
    expect(store.loadSnapshot().definitions).toHaveLength(31);
    expect(sim.requests().filter((r) => /\/(usages|restrictions)(\?|$)/.test(r.path))).toEqual([]);
  });
});
