import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('the token endpoint in trouble while rows wait', () => {
  it('holds the outbox back without failing a row, and delivers every row once when it answers again', async () => {
    const rig = await startRig();
    const rows = [await rig.add(480), await rig.add(481), await rig.add(482)];
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 1, times: -1, match: { path: '/connect/token' } });
    // The first round meets it before the POST, the next ones (should the row be in doubt) before the look-up.
    for (let i = 0; i < 3; i++) {
      expect(await rig.sender.round()).toMatchObject({ delivered: 0, failed: 0, postponed: true });
      rig.now.value += 120_000;
    }
    expect(rig.outbox.stats()).toMatchObject({ pending: 3, failed: 0 });
    expect(rig.sim.requests().filter((r) => r.path.includes('/clockings'))).toHaveLength(0);
    rig.sim.faults.clear();
    expect(await rig.sender.round()).toMatchObject({ delivered: 3, failed: 0 });
    expect(rows.map((r) => rig.outbox.get(r.id)?.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(rig.sim.clockings()).toHaveLength(3);
  });

  it('keeps a row the token endpoint kept from being sent out of doubt: no look-up before it is sent', async () => {
    const rig = await startRig();
    const row = await rig.add(480);
    rig.sim.faults.add({ kind: 'status', status: 503, times: 1, match: { path: '/connect/token' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, failed: 0, postponed: true });
    expect(rig.outbox.get(row.id)?.state).toBe('pending');
    rig.now.value += 120_000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1 });
    expect(rig.sim.requests().filter((r) => r.method === 'GET' && r.path.includes('/clockings'))).toHaveLength(0);
  });
});
