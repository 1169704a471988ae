import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';
import { waitFor } from '../../support/waitFor.js';

const startRig = usePerTest(senderRig);

describe('a POST that times out while Protime is still storing it', () => {
  it('is not looked up before Protime had time to store it, and is clocked once', async () => {
    const rig = await startRig();
    const row = await rig.add(480);
    // Protime takes 3 s; the client gives up after 2 s (the rig's response timeout).
    rig.sim.faults.add({ kind: 'latency', ms: 3000, times: 1, match: { method: 'POST', path: '/clockings' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: true });
    expect(rig.outbox.get(row.id)?.state).toBe('sending');
    // Past the backoff (1 s at most), not past the settling time: no look-up yet.
    rig.now.value += 1000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 0 });
    expect(rig.sim.requests().filter((r) => r.method === 'GET' && r.path.includes('/clockings'))).toHaveLength(0);
    await waitFor(() => expect(rig.sim.clockings()).toHaveLength(1), { timeoutMs: 5000 });
    rig.now.value += 1000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1 });
    expect(rig.sim.clockings()).toHaveLength(1);
  }, 20_000);
});
