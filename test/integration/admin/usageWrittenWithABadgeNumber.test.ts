import { describe, expect, it } from 'vitest';
import { personSchema } from '../../../src/simulator/fixtureSchema.js';
import { adminRig, type AdminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const SV = '/activity-structure-versions/b2347a7a-d60d-446f-b03b-7es2cc8c3281';
const WINDOWS = '38fc2206-b51f-434a-9c36-9e0esfc5e70e';
const QUERY = '?externalReferences=(activity-definitions,@data-entry-code)(people,@badge-number)';
const USAGES = `${SV}/levels/3/activity-definitions/30/usages${QUERY}`;
const byBadge = JSON.stringify({ activityUsageKind: 'Person', usageReference: { id: 4242 }, from: '2027-01-01' });

async function rigWithBadge4242(): Promise<AdminRig> {
  const r = await startRig();
  // Person 77 carries badge 4242: the badge and the internal id differ, as they do in myProtime.
  r.sim.store.people.upsert(personSchema.parse({ id: 77, badgeNumber: '4242' }));
  return r;
}

const personUsages = (r: AdminRig): unknown[] => r.sim.store.definition(WINDOWS)?.usages.filter((u) => u.activityUsageKind === 'Person') ?? [];

describe('a usage written with a person named by badge number', () => {
  it('reaches Protime with the whole externalReferences query, people part included and in the same order', async () => {
    const rig = await rigWithBadge4242();
    const res = await rig.admin('POST', USAGES, byBadge);
    expect(res.status).toBe(201);
    const sent = rig.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/usages'));
    expect(sent.map((r) => r.path.slice(r.path.indexOf('?')))).toEqual([QUERY]);
    expect(personUsages(rig)).toEqual([expect.objectContaining({ usageReference: { id: 77 }, from: '2027-01-01' })]);
  });

  it('is deleted by badge number, the gateway not comparing the badge with the internal person ids it caches', async () => {
    const rig = await rigWithBadge4242();
    const current = rig.sim.store.definition(WINDOWS)?.usages ?? [];
    rig.sim.store.setUsages(WINDOWS, [...current, { activityUsageKind: 'Person', usageReference: { id: 77 }, from: '2027-01-01' }]);
    await rig.gateway.sync.run({ full: true });
    const res = await rig.admin('DELETE', USAGES, byBadge);
    expect(res.status).toBe(204);
    expect(personUsages(rig)).toEqual([]);
  });
});
