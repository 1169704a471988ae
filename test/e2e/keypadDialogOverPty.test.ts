import { describe, expect, it } from 'vitest';
import { useGatewayRig } from '../support/gatewayRig.js';
import { waitFor } from '../support/waitFor.js';

const startRig = useGatewayRig();

describe('a keypad terminal on a real pseudo-terminal', () => {
  it('walks a full dialog to an accept, records it and delivers it to Protime', async () => {
    const rig = await startRig();
    const t = rig.terminal();
    expect(await t.exchange('B0001234')).toEqual(['PLevel 1']);
    expect(await t.exchange('K1')).toEqual(['PMaintenance Level 2']);
    expect(await t.exchange('K100')).toEqual(['POrder 100 Bu Level 3']);
    expect(await t.exchange('K26')).toEqual(['APainting']);
    await waitFor(() => expect(rig.sim.clockings()).toHaveLength(1));
    expect(rig.sim.clockings()[0]).toMatchObject({ kind: 'Activity' });
    // Protime has it once the POST arrived; the gateway marks the row delivered once the answer is back.
    await waitFor(() => expect(rig.gateway.outbox.stats()).toMatchObject({ pending: 0, delivered: 1 }));
    expect(rig.gateway.terminals[0]?.status).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('shows each reject reason on the display and lets the worker correct it', async () => {
    const rig = await startRig();
    const t = rig.terminal();
    expect(await t.exchange('B9999999')).toEqual(['RUnknown badge']);
    expect(await t.exchange('B0000099')).toEqual(['RUnknown badge']); // out of service
    await t.exchange('B0001234');
    expect(await t.exchange('K9')).toEqual(['R9 Unknown code']);
    await t.exchange('K2');
    expect(await t.exchange('K202')).toEqual(['R202 Not yet active']);
    await t.exchange('K200');
    expect(await t.exchange('K1101')).toEqual(['R1101 Wrong parent']);
    expect(await t.exchange('K2004')).toEqual(['RNot allowed for you']);
    // Three rejections in a row end the dialog.
    expect(await t.exchange('K2002x', 2)).toEqual(['R2002x Unknown code', 'IPresent badge']);
    await t.exchange('B0001234');
    await t.exchange('K1');
    await t.exchange('K100');
    expect(await t.exchange('K20003')).toEqual(['R20003 Expired']);
    await t.exchange('C', 2);
    await t.exchange('B0000042');
    expect(await t.exchange('K1')).toEqual(['RNot allowed for you']);
    expect(rig.gateway.terminals[0]?.status.rejectReasons).toMatchObject({ UNKNOWN_BADGE: 2, UNKNOWN_CODE: 2, NOT_YET_ACTIVE: 1, WRONG_PARENT: 1, NO_USAGE: 2, EXPIRED: 1 });
  });

  it('shows RESTRICTED when an earlier choice narrows the level', async () => {
    const rig = await startRig();
    const t = rig.terminal();
    await t.exchange('B0001234');
    await t.exchange('K2');
    await t.exchange('K200');
    expect(await t.exchange('K2003')).toEqual(['RNot allowed here']);
  });

  it('cancels, times out, and starts over on a badge in the middle of a dialog', async () => {
    const rig = await startRig({ timeoutSeconds: 1 });
    const t = rig.terminal();
    await t.exchange('B0001234');
    expect(await t.exchange('C', 2)).toEqual(['RCancelled', 'IPresent badge']);
    await t.exchange('B0001234');
    await t.exchange('K1');
    expect(await t.exchange('B0000013')).toEqual(['PLevel 1']);
    expect(rig.gateway.terminals[0]?.state).toMatchObject({ phase: 'collecting', personId: 13, step: 0 });
    expect(await t.next(2, t.lines.length, 5000)).toEqual(['RTimed out', 'IPresent badge']);
  });
});
