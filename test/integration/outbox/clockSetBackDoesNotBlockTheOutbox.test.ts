import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('the wall clock set back a day just after a row was postponed', () => {
  it('does not hold the outbox back for the size of the jump', async () => {
    const rig = await startRig();
    await rig.add(480);
    await rig.add(481);
    rig.sim.faults.add({ kind: 'status', status: 503, times: 1, match: { method: 'POST', path: '/clockings' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: true });
    // NTP corrects a clock that ran a day ahead; the row waited at most the 1 s backoff.
    rig.now.value -= 86_400_000;
    const round = await rig.sender.round();
    expect(round).toMatchObject({ delivered: 2, failed: 0 });
    expect(rig.sim.clockings()).toHaveLength(2);
  });
});
