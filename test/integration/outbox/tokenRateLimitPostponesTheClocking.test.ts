import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('a token endpoint that rate-limits the sender', () => {
  it('postpones the clocking by its Retry-After instead of marking it refused, and delivers it afterwards', async () => {
    const rig = await startRig();
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 30, match: { path: '/connect/token' } });
    const row = await rig.add(480);
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, failed: 0 });
    expect(rig.outbox.get(row.id)).toMatchObject({ state: 'pending', nextAttemptAt: rig.now.value + 30_000 });
    rig.now.value += 30_000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1, failed: 0 });
    expect(rig.sim.clockings().map((c) => c.timeOfDayInMinutes)).toEqual([480]);
  });
});
