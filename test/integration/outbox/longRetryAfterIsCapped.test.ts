import { describe, expect, it } from 'vitest';
import { senderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(senderRig);

describe('Protime asking the sender to wait a day (429, Retry-After: 86400)', () => {
  it('tries the row again within minutes, not a day later', async () => {
    const rig = await startRig();
    const row = await rig.add(480);
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 86_400, times: 1, match: { method: 'POST', path: '/clockings' } });
    const start = rig.now.value;
    const round = await rig.sender.round();
    expect(round).toMatchObject({ delivered: 0, failed: 0, postponed: true });
    expect(round.nextAttemptAt).toBeGreaterThan(start);
    expect(rig.outbox.get(row.id)?.nextAttemptAt).toBeLessThanOrEqual(start + 10 * 60_000);
    rig.now.value += 10 * 60_000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1 });
  });
});
