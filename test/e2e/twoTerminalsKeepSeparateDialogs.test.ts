import { describe, expect, it } from 'vitest';
import { useGatewayRig } from '../support/gatewayRig.js';
import { waitFor } from '../support/waitFor.js';

const startRig = useGatewayRig();

describe('two terminals at once', () => {
  it('keep separate dialogs', async () => {
    const rig = await startRig({ count: 2 });
    const [a, b] = [rig.terminal(0), rig.terminal(1)];
    await Promise.all([a.exchange('B0001234'), b.exchange('B0000013')]);
    await Promise.all([a.exchange('K1'), b.exchange('K2')]);
    const [ra, rb] = await Promise.all([a.exchange('K100'), b.exchange('K200')]);
    expect(ra).toEqual(['POrder 100 Bu Level 3']);
    expect(rb).toEqual(['POrder 200 Li Level 3']);
    const [fa, fb] = await Promise.all([a.exchange('K26'), b.exchange('K2001')]);
    expect(fa).toEqual(['APainting']);
    expect(fb).toEqual(['AWelding']);
    await waitFor(() => expect(rig.sim.clockings()).toHaveLength(2));
  });
});
