import { afterEach, describe, expect, it } from 'vitest';
import { senderRig, type SenderRig } from '../../support/senderRig.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
let rig: SenderRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('the token endpoint in trouble while rows wait', () => {
  it('holds the outbox back without failing a row, and delivers every row once when it answers again', async () => {
    rig = await senderRig(tempDir());
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
    expect(rows.map((r) => rig?.outbox.get(r.id)?.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(rig.sim.clockings()).toHaveLength(3);
  });

  it('keeps a row the token endpoint kept from being sent out of doubt: no look-up before it is sent', async () => {
    rig = await senderRig(tempDir());
    const row = await rig.add(480);
    rig.sim.faults.add({ kind: 'status', status: 503, times: 1, match: { path: '/connect/token' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, failed: 0, postponed: true });
    expect(rig.outbox.get(row.id)?.state).toBe('pending');
    rig.now.value += 120_000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1 });
    expect(rig.sim.requests().filter((r) => r.method === 'GET' && r.path.includes('/clockings'))).toHaveLength(0);
  });
});
