import { describe, expect, it } from 'vitest';
import { adminRig, SEED_SV, type AdminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const WINDOWS = '38fc2206-b51f-434a-9c36-9e0esfc5e70e';
const USAGES = `/activity-structure-versions/${SEED_SV}/levels/3/activity-definitions/${WINDOWS}/usages`;
const GROUP_7 = { activityUsageKind: 'Group', usageReference: { id: 7 }, from: '2026-01-01' } as const;

type UpstreamUsages = Parameters<AdminRig['sim']['store']['setUsages']>[1];

/** Changes the usages in "myProtime" (the simulator) without the gateway syncing. */
function editUpstream(r: AdminRig, change: (usages: UpstreamUsages) => UpstreamUsages): void {
  r.sim.store.setUsages(WINDOWS, change([...(r.sim.store.definition(WINDOWS)?.usages ?? [])]));
}

function writesOf(r: AdminRig, method: string): number {
  return r.sim.requests().filter((x) => x.method === method && x.path.endsWith('/usages')).length;
}

describe('a usage added or removed in myProtime since the last sync', () => {
  it('can be deleted through the gateway, which asks Protime before answering "not found"', async () => {
    const rig = await startRig();
    editUpstream(rig, (u) => [...u, GROUP_7]);
    const res = await rig.admin('DELETE', USAGES, JSON.stringify(GROUP_7));
    expect(res.status).toBe(204);
    expect(writesOf(rig, 'DELETE')).toBe(1);
    expect(rig.sim.store.definition(WINDOWS)?.usages.some((u) => u.activityUsageKind === 'Group')).toBe(false);
    expect(rig.gateway.models.usagesOf(WINDOWS).some((u) => u.kind === 'Group')).toBe(false);
  });

  it('can be changed through the gateway, and the cache keeps the usages it read', async () => {
    const rig = await startRig();
    editUpstream(rig, (u) => [...u, GROUP_7]);
    const res = await rig.admin('PUT', USAGES, JSON.stringify({ activityUsageKind: 'Group', usageReference: { id: 7 }, originalFrom: '2026-01-01', updatedFrom: '2026-02-01' }));
    expect(res.status).toBe(200);
    expect(writesOf(rig, 'PUT')).toBe(1);
    expect(rig.gateway.models.usagesOf(WINDOWS).filter((u) => u.kind === 'Group').map((u) => u.reference)).toEqual([7]);
  });

  it('no longer blocks, as an overlap, a usage added in its place', async () => {
    const rig = await startRig();
    editUpstream(rig, (u) => u.filter((x) => x.usageReference.id !== 13));
    const res = await rig.admin('POST', USAGES, JSON.stringify({ activityUsageKind: 'Circle', usageReference: { id: 13 }, from: '2025-06-01', until: '2026-06-01' }));
    expect(res.status).toBe(201);
    expect(writesOf(rig, 'POST')).toBe(1);
  });

  it('is still refused locally when Protime does not have it either', async () => {
    const rig = await startRig();
    const res = await rig.admin('DELETE', USAGES, JSON.stringify(GROUP_7));
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'from' });
    expect(writesOf(rig, 'DELETE')).toBe(0);
  });

  it('refuses bad dates without asking Protime', async () => {
    const rig = await startRig();
    const before = rig.sim.requests().length;
    const res = await rig.admin('POST', USAGES, JSON.stringify({ activityUsageKind: 'Circle', usageReference: { id: 13 }, from: '2025-06-01', until: '2025-05-01' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field: 'until' });
    expect(rig.sim.requests().slice(before)).toHaveLength(0);
  });
});
