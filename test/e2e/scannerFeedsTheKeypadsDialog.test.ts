import { describe, expect, it } from 'vitest';
import { useGatewayRig } from '../support/gatewayRig.js';
import { waitFor } from '../support/waitFor.js';

const startRig = useGatewayRig();

describe('a barcode scanner bound to a keypad terminal', () => {
  it('feeds the same dialog: codes scanned with or without an AIM prefix answer on the keypad display', async () => {
    const rig = await startRig({ scanner: true });
    const keypad = rig.terminal(0);
    const scanner = rig.terminal(1);
    expect(await keypad.exchange('B0001234')).toEqual(['PLevel 1']);
    let from = keypad.lines.length;
    await scanner.write(']C11\r');
    expect(await keypad.next(1, from)).toEqual(['PMaintenance Level 2']);
    from = keypad.lines.length;
    await scanner.write('100\r');
    expect(await keypad.next(1, from)).toEqual(['POrder 100 Bu Level 3']);
    from = keypad.lines.length;
    await scanner.write(']C1999\r');
    expect(await keypad.next(1, from)).toEqual(['R999 Unknown code']);
    expect(await keypad.exchange('K26')).toEqual(['APainting']);
    await waitFor(() => expect(rig.gateway.outbox.stats()).toMatchObject({ pending: 0, delivered: 1 }));
    expect(rig.sim.clockings()).toHaveLength(1);
    // A badge scanned in the middle of the keypad's dialog starts a new one there.
    expect(await keypad.exchange('B0001234')).toEqual(['PLevel 1']);
    from = keypad.lines.length;
    await scanner.write(']C1BADGE0000013\r');
    expect(await keypad.next(1, from)).toEqual(['PLevel 1']);
    expect(rig.gateway.terminals[0]?.state).toMatchObject({ phase: 'collecting', personId: 13, step: 0 });
  });
});
