import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('two identical selections, the first left failed in doubt', () => {
  it('leaves the second failed for a person instead of taking the first one\'s clocking for its own', async () => {
    const rig = await startRig();
    const first = await rig.add(480);
    const second = await rig.add(480); // the same code scanned twice in a minute
    // The first is stored upstream, its answer lost.
    rig.sim.faults.add({ kind: 'after-store-reset', match: { method: 'POST', path: '/clockings' } });
    await rig.sender.round();
    // Its look-up is refused once (failed, for a person); the second's POST is reset before Protime stores it.
    rig.sim.faults.add({ kind: 'status', status: 403, times: 1, match: { method: 'GET', path: '/clockings' } });
    rig.sim.faults.add({ kind: 'reset', times: 1, match: { method: 'POST', path: '/clockings' } });
    rig.now.value += 60_000;
    await rig.sender.round();
    expect(rig.outbox.get(first.id)?.state).toBe('failed');
    expect(rig.outbox.get(second.id)?.state).toBe('sending');
    expect(rig.sim.clockings()).toHaveLength(1);
    // One clocking upstream, and it may be either's: neither delivered (lost) nor sent again (doubled).
    rig.now.value += 60_000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, failed: 1 });
    expect(rig.outbox.get(second.id)?.state).toBe('failed');
    expect(rig.sim.clockings()).toHaveLength(1);
  });
});
