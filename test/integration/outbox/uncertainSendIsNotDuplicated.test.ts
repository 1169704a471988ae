import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('a send whose outcome is unknown', () => {
  it('is looked up before it is sent again when Protime stored it but the answer was lost', async () => {
    const rig = await startRig();
    const row = await rig.add(480);
    rig.sim.faults.add({ kind: 'after-store-reset', match: { method: 'POST', path: '/clockings' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: true });
    expect(rig.outbox.get(row.id)).toMatchObject({ state: 'sending' });
    expect(rig.sim.clockings()).toHaveLength(1);
    rig.now.value += 2000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1, postponed: false });
    expect(rig.sim.clockings()).toHaveLength(1);
    expect(rig.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/clockings'))).toHaveLength(1);
  });

  it('is sent again when the look-up shows Protime never stored it', async () => {
    const rig = await startRig();
    await rig.add(480);
    rig.sim.faults.add({ kind: 'reset', match: { method: 'POST', path: '/clockings' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: true });
    expect(rig.sim.clockings()).toHaveLength(0);
    rig.now.value += 2000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1, postponed: false });
    expect(rig.sim.clockings()).toHaveLength(1);
  });

  it('stays in doubt while the look-up fails, and still ends with exactly one clocking', async () => {
    const rig = await startRig();
    await rig.add(480);
    rig.sim.faults.add({ kind: 'after-store-reset', match: { method: 'POST', path: '/clockings' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: true });
    rig.sim.faults.add({ kind: 'status', status: 503, times: -1, match: { method: 'GET', path: '/clockings' } });
    rig.now.value += 2000;
    // The look-up itself fails: the row stays in doubt, nothing is resent blindly.
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: true });
    expect(rig.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/clockings'))).toHaveLength(1);
    rig.sim.faults.clear();
    rig.now.value += 2000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1, postponed: false });
    expect(rig.sim.clockings()).toHaveLength(1);
  });

  it('is left failed, for a person to check, when Protime refuses the look-up, and the rows behind it go on', async () => {
    const rig = await startRig();
    const doubtful = await rig.add(480);
    const next = await rig.add(481);
    rig.sim.faults.add({ kind: 'after-store-reset', match: { method: 'POST', path: '/clockings' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: true });
    // The client lacks the scope to read clockings: asking again would be refused for ever.
    rig.sim.faults.add({ kind: 'status', status: 403, times: -1, match: { method: 'GET', path: '/clockings' } });
    rig.now.value += 2000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1, failed: 1, postponed: false });
    expect(rig.outbox.get(doubtful.id)).toMatchObject({ state: 'failed', lastError: expect.stringContaining('refused the check') });
    expect(rig.outbox.get(next.id)).toMatchObject({ state: 'delivered' });
    expect(rig.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/clockings'))).toHaveLength(2);
  });

  it('waits out a 429 without counting the row as sent', async () => {
    const rig = await startRig();
    const row = await rig.add(480);
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 30, match: { method: 'POST', path: '/clockings' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: true });
    expect(rig.outbox.get(row.id)).toMatchObject({ state: 'pending' });
    expect(rig.outbox.get(row.id)?.nextAttemptAt).toBe(rig.now.value + 30_000);
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: false, nextAttemptAt: rig.now.value + 30_000 });
    rig.now.value += 30_000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1, postponed: false });
  });
});
