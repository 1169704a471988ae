import { afterEach, describe, expect, it } from 'vitest';
import { syncRig, type SyncRig } from '../../support/syncHarness.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
let rig: SyncRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a sync whose token request is rate-limited', () => {
  it('waits as long as the token endpoint\'s Retry-After says, asks for a token again, and succeeds', async () => {
    rig = await syncRig(tempDir());
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 1, match: { path: '/connect/token' } });
    const started = Date.now();
    await rig.engine.run({ full: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
    const tokenAnswers = rig.sim.requests().filter((r) => r.path.includes('/connect/token')).map((r) => r.status);
    expect(tokenAnswers.slice(0, 2)).toEqual([429, 200]);
  });
});
