import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

const DAY = 86_400_000;

describe('the retention prune while an identical row is in doubt', () => {
  it('keeps the delivered row the look-up needs, so the in-doubt row is sent and not taken as delivered', async () => {
    const rig = await startRig();
    const first = await rig.add(480);
    await rig.sender.round();
    expect(rig.outbox.get(first.id)?.state).toBe('delivered');
    const second = await rig.add(480); // the same code scanned again in that minute
    rig.sim.faults.add({ kind: 'reset', times: 1, match: { method: 'POST', path: '/clockings' } });
    await rig.sender.round();
    expect(rig.outbox.get(second.id)?.state).toBe('sending');
    // The row stays in doubt past the 30-day retention (or the clock jumps ahead); the hourly prune runs.
    rig.now.value += 40 * DAY;
    expect(await rig.outbox.prune(rig.now.value - 30 * DAY)).toBe(0);
    expect(await rig.sender.round()).toMatchObject({ delivered: 1 });
    expect(rig.sim.clockings()).toHaveLength(2);
    expect(await rig.outbox.prune(rig.now.value + DAY)).toBe(2);
  });
});
