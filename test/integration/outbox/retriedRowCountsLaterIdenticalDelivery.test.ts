import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('a retried in-doubt row that never reached Protime', () => {
  it('is sent again though an identical row accepted after it was delivered meanwhile', async () => {
    const rig = await startRig();
    const first = await rig.add(480);
    const second = await rig.add(480); // the same code scanned twice in a minute
    // The first POST is reset before Protime stores it, then its look-up is refused: failed, in doubt.
    rig.sim.faults.add({ kind: 'reset', times: 1, match: { method: 'POST', path: '/clockings' } });
    await rig.sender.round();
    rig.sim.faults.add({ kind: 'status', status: 403, times: 1, match: { method: 'GET', path: '/clockings' } });
    rig.now.value += 60_000;
    await rig.sender.round();
    expect(rig.outbox.get(first.id)?.state).toBe('failed');
    expect(rig.outbox.get(second.id)?.state).toBe('delivered');
    expect(rig.sim.clockings()).toHaveLength(1);
    // The one clocking upstream is the second's: the retried first must not take it for its own.
    expect(await rig.outbox.retry(first.id)).toBe(1);
    expect(await rig.sender.round()).toMatchObject({ delivered: 1 });
    expect(rig.outbox.get(first.id)?.state).toBe('delivered');
    expect(rig.sim.clockings()).toHaveLength(2);
  });
});
