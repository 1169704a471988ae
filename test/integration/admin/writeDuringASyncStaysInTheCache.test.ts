import { describe, expect, it } from 'vitest';
import { adminRig, SEED_SV } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';
import { waitFor } from '../../support/waitFor.js';

const startRig = usePerTest(adminRig);

describe('an admin write while a sync runs', () => {
  it('keeps the new definition in the cache and the index after the sync, whose listing predates it, is applied', async () => {
    const rig = await startRig();
    // A full sync lists levels 1 and 2 at once and level 3 a second later; the create lands in between.
    rig.sim.faults.add({ kind: 'latency', ms: 1000, times: -1, match: { method: 'GET', path: 'levels/3/activity-definitions' } });
    const syncing = rig.gateway.sync.run({ full: true });
    await waitFor(() => expect(rig.sim.requests().some((r) => r.path.includes('levels/2/activity-definitions'))).toBe(true));
    const created = await rig.admin(
      'PUT',
      `/activity-structure-versions/${SEED_SV}/levels/1/activity-definitions/Logistics?externalReferences=(activity-definitions,CustomActivityReference)`,
      JSON.stringify({ name: { default: 'Logistics' }, dataEntryCode: '7', externalReference: 'LOG' }),
    );
    expect(created.status).toBe(201);
    expect(rig.gateway.index.find(SEED_SV, 1, '7')?.name).toBe('Logistics');
    rig.sim.faults.clear();
    await syncing;
    await waitFor(() => expect(rig.gateway.models.findDefinition(SEED_SV, 1, { externalReference: 'LOG' })).toBeDefined());
    await waitFor(() => expect(rig.gateway.index.find(SEED_SV, 1, '7')?.name).toBe('Logistics'));
    // And it stays: nothing is scheduled to take it out again.
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.gateway.index.find(SEED_SV, 1, '7')?.name).toBe('Logistics');
  });
});
