import { describe, expect, it } from 'vitest';
import { useGatewayRig } from '../support/gatewayRig.js';

const startRig = useGatewayRig();

describe('a keypad dialog while NTP sets the wall clock back an hour', () => {
  it('still times out after its inactivity timeout, so the next worker cannot type into it', async () => {
    let setBack = 0;
    const rig = await startRig({ timeoutSeconds: 0.5, now: () => Date.now() - setBack });
    const t = rig.terminal();
    expect(await t.exchange('B0001234')).toEqual(['PLevel 1']);
    setBack = 3_600_000;
    expect(await t.next(2, t.lines.length, 5000)).toEqual(['RTimed out', 'IPresent badge']);
    // A code typed now belongs to no one: it is not clocked under the badge of the worker who left.
    expect(await t.exchange('K1')).toEqual(['RPresent badge first']);
    expect(rig.gateway.outbox.stats()).toMatchObject({ pending: 0, delivered: 0 });
  });
});
