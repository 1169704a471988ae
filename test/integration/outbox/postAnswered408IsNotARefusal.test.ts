import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('a POST /clockings answered 408', () => {
  it('is not taken as a refusal: the row is looked up and delivered once', async () => {
    const rig = await startRig();
    const row = await rig.add(480);
    rig.sim.faults.add({ kind: 'status', status: 408, times: 1, match: { method: 'POST', path: '/clockings' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, failed: 0, postponed: true });
    expect(rig.outbox.get(row.id)?.state).toBe('sending');
    rig.now.value += 60_000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1, failed: 0 });
    expect(rig.sim.clockings()).toHaveLength(1);
  });
});
