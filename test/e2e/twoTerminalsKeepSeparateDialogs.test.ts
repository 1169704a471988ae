import { afterEach, describe, expect, it } from 'vitest';
import { gatewayRig, type GatewayRig } from '../support/gatewayRig.js';
import type { TestTerminal } from '../support/TestTerminal.js';
import { useTempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const tempDir = useTempDir();
let rig: GatewayRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function terminal(r: GatewayRig, i = 0): TestTerminal {
  const t = r.terminals[i];
  if (t === undefined) throw new Error(`no terminal ${i}`);
  return t;
}

describe('two terminals at once', () => {
  it('keep separate dialogs', async () => {
    rig = await gatewayRig(tempDir(), { count: 2 });
    const [a, b] = [terminal(rig, 0), terminal(rig, 1)];
    await Promise.all([a.exchange('B0001234'), b.exchange('B0000013')]);
    await Promise.all([a.exchange('K1'), b.exchange('K2')]);
    const [ra, rb] = await Promise.all([a.exchange('K100'), b.exchange('K200')]);
    expect(ra).toEqual(['POrder 100 Building L']);
    expect(rb).toEqual(['POrder 200 Line A Lev']);
    const [fa, fb] = await Promise.all([a.exchange('K26'), b.exchange('K2001')]);
    expect(fa).toEqual(['APainting']);
    expect(fb).toEqual(['AWelding']);
    await waitFor(() => expect(rig?.sim.clockings()).toHaveLength(2));
  });
});
