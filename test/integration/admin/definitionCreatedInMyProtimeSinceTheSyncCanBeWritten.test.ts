import { describe, expect, it } from 'vitest';
import { adminRig, SEED_SV, type AdminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const FRESH = 'c0ffee00-0000-4000-8000-00000000abcd';
const LEVEL_1 = `/activity-structure-versions/${SEED_SV}/levels/1/activity-definitions`;

/** Creates a definition in "myProtime" (the simulator) without the gateway syncing. */
async function createdUpstream(): Promise<AdminRig> {
  const r = await startRig();
  r.sim.store.upsertDefinition({ id: FRESH, structureVersion: SEED_SV, level: 1, name: { default: 'Fresh' }, dataEntryCode: '9', externalReference: 'FRESH' });
  return r;
}

function writes(r: AdminRig, method: string): number {
  return r.sim.requests().filter((x) => x.method === method && x.path.includes('/activity-definitions/')).length;
}

describe('a definition created in myProtime since the last sync', () => {
  it('takes a usage through the gateway, which asks Protime before answering "not found"', async () => {
    const rig = await createdUpstream();
    const res = await rig.admin('POST', `${LEVEL_1}/${FRESH}/usages`, JSON.stringify({ activityUsageKind: 'Group', usageReference: { id: 5 }, from: '2025-01-01' }));
    expect(res.status).toBe(201);
    expect(rig.sim.store.definition(FRESH)?.usages.map((u) => u.usageReference.id)).toEqual([5]);
    expect(rig.gateway.models.usagesOf(FRESH).map((u) => u.reference)).toEqual([5]);
  });

  it('takes a usage named by its data entry code', async () => {
    const rig = await createdUpstream();
    const res = await rig.admin('POST', `${LEVEL_1}/9/usages?externalReferences=(activity-definitions,@data-entry-code)`, JSON.stringify({ activityUsageKind: 'Circle', usageReference: { id: 13 }, from: '2025-01-01' }));
    expect(res.status).toBe(201);
    expect(rig.gateway.models.usagesOf(FRESH).map((u) => u.reference)).toEqual([13]);
  });

  it('is updated through its internal id', async () => {
    const rig = await createdUpstream();
    const res = await rig.admin('PUT', `${LEVEL_1}/${FRESH}`, JSON.stringify({ name: { default: 'Fresh, renamed' }, dataEntryCode: '9', externalReference: 'FRESH' }));
    expect(res.status).toBe(200);
    expect(rig.sim.store.definition(FRESH)?.name.default).toBe('Fresh, renamed');
    expect(rig.gateway.index.find(SEED_SV, 1, '9')?.name).toBe('Fresh, renamed');
  });

  it('gets restrictions through the gateway', async () => {
    const rig = await createdUpstream();
    const res = await rig.admin('PUT', `${LEVEL_1}/${FRESH}/restrictions`, JSON.stringify([{ level: 2, activityDefinitions: [{ id: '22d320ed-f6ed-44bd-b7b1-fe58f518960c' }] }]));
    expect(res.status).toBe(200);
    expect(rig.sim.store.definition(FRESH)?.restrictions).toHaveLength(1);
  });

  it('is still refused locally, with no write sent, when Protime does not have it either', async () => {
    const rig = await startRig();
    const usage = await rig.admin('POST', `${LEVEL_1}/${FRESH}/usages`, JSON.stringify({ activityUsageKind: 'Group', usageReference: { id: 5 }, from: '2025-01-01' }));
    const put = await rig.admin('PUT', `${LEVEL_1}/${FRESH}`, JSON.stringify({ name: { default: 'Nobody' }, dataEntryCode: '9' }));
    expect([usage.status, put.status]).toEqual([404, 404]);
    expect(usage.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'activityDefinitionReference' });
    expect(writes(rig, 'POST') + writes(rig, 'PUT')).toBe(0);
  });
});

describe('a restriction naming a definition created in myProtime since the last sync', () => {
  it('is sent to Protime, which has that definition, instead of refused as naming none', async () => {
    const rig = await createdUpstream();
    const res = await rig.admin('PUT', `/activity-structure-versions/${SEED_SV}/levels/2/activity-definitions/22d320ed-f6ed-44bd-b7b1-fe58f518960c/restrictions`, JSON.stringify([{ level: 1, activityDefinitions: [{ id: FRESH }] }]));
    expect(res.status).toBe(200);
    expect(rig.sim.store.definition('22d320ed-f6ed-44bd-b7b1-fe58f518960c')?.restrictions).toEqual([{ level: 1, activityDefinitions: [{ id: FRESH }] }]);
  });

  it('is still refused locally, naming the entry, when Protime does not have it either', async () => {
    const rig = await startRig();
    const res = await rig.admin('PUT', `/activity-structure-versions/${SEED_SV}/levels/2/activity-definitions/22d320ed-f6ed-44bd-b7b1-fe58f518960c/restrictions`, JSON.stringify([{ level: 1, activityDefinitions: [{ id: FRESH }] }]));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID', field: '[0].activityDefinitions[0].id' });
    expect(writes(rig, 'PUT')).toBe(0);
  });
});
