import { describe, expect, it } from 'vitest';
import { useGatewayRig } from '../support/gatewayRig.js';
import { TestTerminal } from '../support/TestTerminal.js';
import { waitFor } from '../support/waitFor.js';

const startRig = useGatewayRig();

describe('a keypad terminal that is unplugged and plugged back', () => {
  it('is reconnected by the gateway and the next dialog works', async () => {
    const rig = await startRig();
    const pair = rig.pairs[0];
    if (pair === undefined) throw new Error('pair');
    await rig.terminal().close();
    await pair.kill();
    const device = rig.gateway.devices[0];
    await waitFor(() => expect(device?.status.connected).toBe(false));
    await pair.start();
    await waitFor(() => expect(device?.status.connected).toBe(true), { timeoutMs: 15_000 });
    const t = await TestTerminal.open(pair.terminalPath);
    rig.terminals[0] = t;
    expect(await t.exchange('B0001234')).toEqual(['PLevel 1']);
    expect(device?.status.errors).toBeGreaterThan(0);
  });
});
