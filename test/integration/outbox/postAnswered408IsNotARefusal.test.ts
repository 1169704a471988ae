import { afterEach, describe, expect, it } from 'vitest';
import { senderRig, type SenderRig } from '../../support/senderRig.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
let rig: SenderRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a POST /clockings answered 408', () => {
  it('is not taken as a refusal: the row is looked up and delivered once', async () => {
    rig = await senderRig(tempDir());
    const row = await rig.add(480);
    rig.sim.faults.add({ kind: 'status', status: 408, times: 1, match: { method: 'POST', path: '/clockings' } });
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, failed: 0, postponed: true });
    expect(rig.outbox.get(row.id)?.state).toBe('sending');
    rig.now.value += 60_000;
    expect(await rig.sender.round()).toMatchObject({ delivered: 1, failed: 0 });
    expect(rig.sim.clockings()).toHaveLength(1);
  });
});
