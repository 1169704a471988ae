import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('Protime refusing one clocking (400)', () => {
  it('marks that row failed with the upstream message and delivers the others in order', async () => {
    const rig = await startRig();
    const first = await rig.add(480);
    const refused = await rig.add(490, 'no-such-definition');
    const third = await rig.add(500);
    // One round: the refusal does not hold back the rows after it.
    expect(await rig.sender.round()).toMatchObject({ delivered: 2, failed: 1, postponed: false, nextAttemptAt: undefined });
    expect(rig.outbox.get(refused.id)).toMatchObject({ state: 'failed' });
    expect(rig.outbox.get(refused.id)?.lastError).toMatch(/400/);
    expect(rig.outbox.get(refused.id)?.lastError).toMatch(/activityLevels/);
    expect(rig.sim.clockings().map((c) => c.timeOfDayInMinutes)).toEqual([480, 500]);
    expect([first, third].map((r) => rig.outbox.get(r.id)?.state)).toEqual(['delivered', 'delivered']);
    // An operator fixes the cause and retries: the row goes again (and is refused again here).
    expect(await rig.outbox.retry(refused.id)).toBe(1);
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, failed: 1 });
  });
});
