import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('an in-doubt row left failed because its look-up was refused', () => {
  it('is looked up before it is sent again once the operator retries it, and is clocked once', async () => {
    const rig = await startRig();
    const row = await rig.add(480);
    // Protime stores it, the answer is lost.
    rig.sim.faults.add({ kind: 'after-store-reset', match: { method: 'POST', path: '/clockings' } });
    await rig.sender.round();
    expect(rig.sim.clockings()).toHaveLength(1);
    // The check is refused once (a momentary 403): the row is left failed for a person.
    rig.sim.faults.add({ kind: 'status', status: 403, times: 1, match: { method: 'GET', path: '/clockings' } });
    rig.now.value += 60_000;
    await rig.sender.round();
    expect(rig.outbox.get(row.id)?.state).toBe('failed');
    // What `ptgw outbox retry ID` and POST /api/outbox/retry do.
    expect(await rig.outbox.retry(row.id)).toBe(1);
    expect(await rig.sender.round()).toMatchObject({ delivered: 1, failed: 0 });
    expect(rig.outbox.get(row.id)?.state).toBe('delivered');
    expect(rig.sim.clockings()).toHaveLength(1);
    expect(rig.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/clockings'))).toHaveLength(1);
  });
});
