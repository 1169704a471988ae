import { describe, expect, it } from 'vitest';
import { useGatewayRig } from '../support/gatewayRig.js';
import { waitFor } from '../support/waitFor.js';

const startRig = useGatewayRig();

describe('a keypad terminal with a bad line', () => {
  it('survives random binary garbage, invalid UTF-8 and a 10 kB line without delimiter, and the next dialog works', async () => {
    const rig = await startRig();
    const t = rig.terminal();
    const garbage = Buffer.alloc(4096);
    let seed = 42;
    for (let i = 0; i < garbage.length; i++) garbage[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    await t.write(garbage);
    await t.write(Buffer.from([0x4b, 0xc3, 0x28, 0xff, 0x0d, 0x0a]));
    await t.write(Buffer.alloc(10_240, 0x39));
    await t.write('\r\n');
    const device = rig.gateway.devices[0];
    await waitFor(() => expect(device?.status.errors).toBeGreaterThan(0));
    expect(device?.status.connected).toBe(true);
    // Whatever the garbage did to the dialog, a new badge starts a clean one.
    const from = t.lines.length;
    await t.send('B0001234');
    const replies = await waitFor(() => {
      const got = t.lines.slice(from);
      if (!got.includes('PLevel 1')) throw new Error(JSON.stringify(got));
      return got;
    });
    expect(replies.at(-1)).toBe('PLevel 1');
    expect(await t.exchange('K2')).toEqual(['PProduction Level 2']);
    // Every line the gateway wrote is printable ASCII of the display's width.
    for (const line of t.lines) expect(line).toMatch(/^[PARI][\x20-\x7e]{0,20}$/);
  });

  it('never passes control or escape characters from upstream names to the display', async () => {
    const rig = await startRig({
      edit: (f) => {
        const def = f.definitions.find((d) => d.dataEntryCode === '26');
        if (def !== undefined) def.name = { default: 'Paint\u001b[2J\r\nRBOOM\u0007ing', translations: {} };
      },
    });
    const t = rig.terminal();
    await t.exchange('B0001234');
    await t.exchange('K1');
    await t.exchange('K100');
    expect(await t.exchange('K26')).toEqual(['APaint [2J RBOOM ing']);
  });
});
