import { describe, expect, it } from 'vitest';
import { syncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';
import { waitFor } from '../../support/waitFor.js';

const startRig = usePerTest(syncRig);

describe('a periodic sync told to come back in two minutes', () => {
  it('does not ask again before the Retry-After is over, while a manual sync still may', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 120, times: -1, match: { path: '/activity-structure-versions/' } });
    const before = rig.sim.requests().length;
    const limited = (): number => rig.sim.requests().slice(before).filter((r) => r.status === 429).length ?? 0;
    rig.engine.start(200);
    await waitFor(() => expect(limited()).toBe(1), { what: 'the first periodic sync to be rate-limited' });
    // Several 200 ms periods go by: none of them asks again.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(limited()).toBe(1);
    expect(rig.engine.status.lastError?.code).toBe('SYNC_RATE_LIMITED');

    const manual = await rig.engine.run().then(
      () => undefined,
      (err: { code?: string }) => err.code,
    );
    expect(manual).toBe('SYNC_RATE_LIMITED');
    expect(limited()).toBe(2);
  });
});
