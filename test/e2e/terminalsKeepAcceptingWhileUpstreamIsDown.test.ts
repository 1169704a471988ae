import { describe, expect, it } from 'vitest';
import { loadFixture, startSimulator } from '../../src/simulator/index.js';
import { useGatewayRig } from '../support/gatewayRig.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { waitFor } from '../support/waitFor.js';

const startRig = useGatewayRig();

describe('the upstream down for a long stretch', () => {
  it('does not stop terminals; everything accepted is delivered exactly once and in order when it is back', async () => {
    const rig = await startRig();
    const t = rig.terminal();
    const port = Number(new URL(rig.sim.url).port);
    await rig.sim.close();

    // Ten dialogs while Protime cannot be reached: all accepted at once from the cache.
    const operations = ['26', '1101', '26', '1101', '26', '1101', '26', '1101', '26', '1101'];
    for (const op of operations) {
      await t.exchange('B0001234');
      await t.exchange('K1');
      await t.exchange(op === '26' ? 'K100' : 'K101');
      const reply = await t.exchange(`K${op}`);
      expect(reply[0]?.startsWith('A')).toBe(true);
    }
    expect(rig.gateway.outbox.stats().pending).toBe(10);

    // Protime comes back on the same address.
    rig.sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE), port });
    const sim = rig.sim;
    // Delivered is recorded after a row's last send: once all ten are, nothing more is sent.
    await waitFor(() => expect(rig.gateway.outbox.stats()).toMatchObject({ pending: 0, delivered: 10, failed: 0 }), { timeoutMs: 20_000 });
    // Exactly once each, in acceptance order.
    const received = sim.clockings().map((c) => c.activityLevels?.[2]?.activityDefinition.id);
    const expected = rig.gateway.outbox.list('delivered').reverse().map((r) => r.levels[2]?.definitionId);
    expect(received).toEqual(expected);
  });
});
