import { describe, expect, it } from 'vitest';
import { useSharedAdminRig } from '../../support/adminRig.js';
import { API, send, tokenFor } from '../../support/simulatorClient.js';

// One gateway and simulator for the whole file.
const shared = useSharedAdminRig();

const SV = '/activity-structure-versions/b2347a7a-d60d-446f-b03b-7es2cc8c3281';
const WINDOWS = '38fc2206-b51f-434a-9c36-9e0esfc5e70e';
const ORDER_100 = '22d320ed-f6ed-44bd-b7b1-fe58f518960c';
const MAINT = '0b3642ae-16c9-4914-b099-2ba4b99d5ee9';

interface Case {
  title: string;
  method: string;
  path: string;
  body: unknown;
  status: number;
  field: string;
}

const CASES: Case[] = [
  { title: 'an unknown internal id (update only)', method: 'PUT', path: `${SV}/levels/3/activity-definitions/00000000-0000-4000-8000-00000000dead`, body: { name: { default: 'X' }, dataEntryCode: '555' }, status: 404, field: 'activityDefinitionReference' },
  { title: 'a missing name', method: 'PUT', path: `${SV}/levels/3/activity-definitions/NewOne?externalReferences=(activity-definitions,CustomActivityReference)`, body: { dataEntryCode: '556' }, status: 400, field: 'name.default' },
  { title: 'a missing data entry code in manual mode', method: 'PUT', path: `${SV}/levels/3/activity-definitions/NewTwo?externalReferences=(activity-definitions,CustomActivityReference)`, body: { name: { default: 'X' } }, status: 400, field: 'dataEntryCode' },
  { title: 'a data entry code over 16 characters', method: 'PUT', path: `${SV}/levels/3/activity-definitions/NewThree?externalReferences=(activity-definitions,CustomActivityReference)`, body: { name: { default: 'X' }, dataEntryCode: '12345678901234567' }, status: 400, field: 'dataEntryCode' },
  { title: 'a data entry code another definition of the level has', method: 'PUT', path: `${SV}/levels/3/activity-definitions/NewFour?externalReferences=(activity-definitions,CustomActivityReference)`, body: { name: { default: 'X' }, dataEntryCode: '20003' }, status: 400, field: 'dataEntryCode' },
  { title: 'the parent left out of an update of a definition that has one', method: 'PUT', path: `${SV}/levels/3/activity-definitions/${WINDOWS}`, body: { name: { default: 'Windows' }, dataEntryCode: '30' }, status: 400, field: 'parent.id' },
  { title: 'a changed parent', method: 'PUT', path: `${SV}/levels/3/activity-definitions/${WINDOWS}`, body: { name: { default: 'Windows' }, dataEntryCode: '30', parent: { id: 'c0ffee00-0000-4000-8000-000000000200' } }, status: 400, field: 'parent.id' },
  { title: 'a parent that does not exist on the level above', method: 'PUT', path: `${SV}/levels/2/activity-definitions/NewFive?externalReferences=(activity-definitions,CustomActivityReference)`, body: { name: { default: 'X' }, dataEntryCode: '557', parent: { id: WINDOWS } }, status: 400, field: 'parent.id' },
  { title: 'an overlapping usage', method: 'POST', path: `${SV}/levels/3/activity-definitions/${WINDOWS}/usages`, body: { activityUsageKind: 'Circle', usageReference: { id: 13 }, from: '2025-06-01', until: '2026-06-01' }, status: 400, field: 'from' },
  { title: 'original dates that do not match', method: 'PUT', path: `${SV}/levels/3/activity-definitions/${WINDOWS}/usages`, body: { activityUsageKind: 'Circle', usageReference: { id: 13 }, originalFrom: '2025-01-02', originalUntil: '2025-12-31', updatedFrom: '2025-01-15' }, status: 404, field: 'originalFrom' },
  { title: 'deleting a usage that does not exist', method: 'DELETE', path: `${SV}/levels/2/activity-definitions/${ORDER_100}/usages`, body: { activityUsageKind: 'Group', usageReference: { id: 5 }, from: '2025-01-01', until: '2025-12-31' }, status: 404, field: 'from' },
  { title: 'restrictions naming an unknown definition', method: 'PUT', path: `${SV}/levels/1/activity-definitions/${MAINT}/restrictions`, body: [{ level: 3, activityDefinitions: [{ id: 'no-such-definition' }] }], status: 400, field: '[0].activityDefinitions[0].id' },
  { title: 'restrictions that are not a bare array', method: 'PUT', path: `${SV}/levels/1/activity-definitions/${MAINT}/restrictions`, body: { restrictions: [] }, status: 400, field: '(body)' },
  { title: 'a usage kind that does not exist', method: 'POST', path: `${SV}/levels/3/activity-definitions/${WINDOWS}/usages`, body: { activityUsageKind: 'Team', usageReference: { id: 1 }, from: '2025-01-01' }, status: 400, field: 'activityUsageKind' },
];

describe('local checks before anything is sent to Protime', () => {
  for (const c of CASES) {
    it(`refuse ${c.title} with ${c.status}, naming ${c.field}, without calling upstream — and Protime agrees`, async () => {
      const writes = (): number => shared().sim.requests().filter((r) => r.method !== 'GET' && !r.path.includes('/connect/token')).length;
      const before = writes();
      const res = await shared().admin(c.method, c.path, JSON.stringify(c.body));
      expect(res.status).toBe(c.status);
      expect(res.body.error).toMatchObject({ code: c.status === 404 ? 'NOT_FOUND' : 'INVALID', field: c.field, message: expect.any(String) });
      expect(writes()).toBe(before);
      // The same request sent straight to the simulator is refused too (same 4xx family).
      const direct = await send(shared().sim, c.method, `${API}${c.path}`, { token: await tokenFor(shared().sim), json: c.body });
      expect(direct.status).toBeGreaterThanOrEqual(400);
      expect(direct.status).toBeLessThan(500);
    });
  }

  it('refuses an updated range that overlaps another usage of the same circle, naming it', async () => {
    const added = await shared().admin('POST', `${SV}/levels/3/activity-definitions/${WINDOWS}/usages`, JSON.stringify({ activityUsageKind: 'Circle', usageReference: { id: 13 }, from: '2026-01-01', until: '2026-06-30' }));
    expect(added.status).toBe(201);
    const before = shared().sim.requests().length;
    const res = await shared().admin(
      'PUT',
      `${SV}/levels/3/activity-definitions/${WINDOWS}/usages`,
      JSON.stringify({ activityUsageKind: 'Circle', usageReference: { id: 13 }, originalFrom: '2025-01-01', originalUntil: '2025-12-31', updatedFrom: '2025-01-01', updatedUntil: '2026-03-01' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field: 'updatedFrom' });
    expect(res.body.error.message).toContain('Circle 13 from 2026-01-01 until 2026-06-30');
    expect(shared().sim.requests().slice(before).filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('refuses a reference with characters a URL cannot carry', async () => {
    const res = await shared().admin('PUT', `${SV}/levels/3/activity-definitions/a%25b?externalReferences=(activity-definitions,CustomActivityReference)`, JSON.stringify({ name: { default: 'X' }, dataEntryCode: '558' }));
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('activityDefinitionReference');
  });

  it('creates a definition whose parent is named by its external reference, as seed 002 allows, and keeps that parent on update', async () => {
    const path = `${SV}/levels/3/activity-definitions/Sweeping?externalReferences=(activity-definitions,CustomActivityReference)`;
    const body = JSON.stringify({ name: { default: 'Sweeping' }, dataEntryCode: '31', externalReference: 'SWEEP', parent: { id: 'ORD100' } });
    const created = await shared().admin('PUT', path, body);
    expect(created.status).toBe(201);
    expect(shared().gateway.models.findDefinition('b2347a7a-d60d-446f-b03b-7es2cc8c3281', 3, { externalReference: 'SWEEP' })?.parentId).toBe(ORDER_100);
    const updated = await shared().admin('PUT', `${SV}/levels/3/activity-definitions/SWEEP?externalReferences=(activity-definitions,@external-reference)`, body);
    expect(updated.status).toBe(200);
  });

  it('refuses externalReferences given twice with 400 naming it, Protime not called', async () => {
    const before = shared().sim.requests().length;
    const res = await shared().admin(
      'PUT',
      `${SV}/levels/3/activity-definitions/556?externalReferences=(activity-definitions,@data-entry-code)&externalReferences=(activity-definitions,@external-reference)`,
      JSON.stringify({ name: { default: 'X' }, dataEntryCode: '556' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('externalReferences');
    expect(shared().sim.requests().slice(before)).toHaveLength(0);
  });

  it('needs the admin token', async () => {
    const res = await fetch(`${shared().url}/api/admin${SV}/levels/3/activity-definitions/${WINDOWS}/usages`);
    expect(res.status).toBe(401);
  });
});
