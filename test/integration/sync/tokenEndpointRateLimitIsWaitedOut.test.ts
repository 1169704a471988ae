import { describe, expect, it } from 'vitest';
import { syncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(syncRig);

describe('a sync whose token request is rate-limited', () => {
  it('waits as long as the token endpoint\'s Retry-After says, asks for a token again, and succeeds', async () => {
    const rig = await startRig();
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 1, match: { path: '/connect/token' } });
    const started = Date.now();
    await rig.engine.run({ full: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
    const tokenAnswers = rig.sim.requests().filter((r) => r.path.includes('/connect/token')).map((r) => r.status);
    expect(tokenAnswers.slice(0, 2)).toEqual([429, 200]);
  });
});
