import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Gateway } from '../../../src/app/Gateway.js';
import { loadConfig } from '../../../src/app/config/loadConfig.js';
import { OutboxStore } from '../../../src/cache/OutboxStore.js';
import { openCache } from '../../../src/cache/openCache.js';
import type { PtgwError } from '../../../src/core/errors.js';
import { loadFixture, startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { writeGatewayConfig } from '../../support/gatewayConfig.js';
import { silentLogger } from '../../support/silentLogger.js';
import { DEMO_FIXTURE } from '../../support/syncHarness.js';
import { useTempDir } from '../../support/tempDir.js';
import { waitFor } from '../../support/waitFor.js';
import { addClocking } from '../../support/outboxRow.js';

const tempDir = useTempDir();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('the cache file replaced under a running gateway (a backup restored over it)', () => {
  it('stops the gateway, saves its undelivered clocking beside the new file and leaves the new file alone', async () => {
    const sim: Simulator = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    closers.push(() => sim.close());
    sim.faults.add({ kind: 'status', status: 503, times: -1, match: { method: 'POST', path: '/clockings' } });
    const dir = tempDir();
    const lost: PtgwError[] = [];
    const gateway = new Gateway({ config: loadConfig({ path: writeGatewayConfig(dir, sim.url), env: {} }), logger: silentLogger(), onCacheLost: (err) => lost.push(err) });
    closers.push(() => gateway.stop());
    await gateway.start({ listen: false });
    await addClocking(gateway.outbox);

    const path = join(dir, 'cache.sqlite');
    openCache(join(dir, 'backup.sqlite')).close();
    renameSync(join(dir, 'backup.sqlite'), path);

    await waitFor(() => expect(lost.map((e) => e.code)).toEqual(['CACHE_FILE_LOST']), { timeoutMs: 20_000 });
    const saved = readdirSync(dir).filter((n) => n.startsWith('cache.sqlite.saved-') && n.endsWith('.sqlite') === false);
    expect(saved).toHaveLength(1);
    expect(lost[0]?.message).toContain(saved[0]);
    const savedDb = openCache(join(dir, saved[0] as string));
    expect(new OutboxStore(savedDb).stats()).toMatchObject({ pending: 1 });
    savedDb.close();
    const restored = openCache(path);
    expect(new OutboxStore(restored).stats()).toMatchObject({ pending: 0, delivered: 0 });
    restored.close();
  });
});
