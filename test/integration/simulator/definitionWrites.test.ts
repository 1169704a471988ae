import { afterEach, describe, expect, it } from 'vitest';
import { apiClient, closeSimulators, IDS, LEVEL, send, startSeeded, SV, tokenFor } from '../../support/simulatorClient.js';

afterEach(closeSimulators);

const BY_CODE = '?externalReferences=(activity-definitions,@data-entry-code)';
const BY_REF = '?externalReferences=(activity-definitions,@external-reference)';
const BY_CUSTOM = '?externalReferences=(activity-definitions,CustomActivityReference)';

describe('PUT activity definition: create or update', () => {
  it('updates through the internal id and answers 200 with the definition', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', `${LEVEL(1)}/${IDS.production}`, { name: { default: 'Production line' }, dataEntryCode: '2' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('location')).toBeNull();
    expect(answer.body).toMatchObject({ id: IDS.production, name: { default: 'Production line' } });
  });

  it('answers 404 for an unknown internal id: ids cannot create', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', `${LEVEL(1)}/6f1c1a52-0000-4000-8000-000000000000`, { name: { default: 'X' }, dataEntryCode: '9' });
    expect(answer.status).toBe(404);
    expect((await api('GET', LEVEL(1))).body.value).toHaveLength(2);
  });

  it('creates through @external-reference and @data-entry-code, taking the reference as the value', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const byRef = await api('PUT', `${LEVEL(1)}/LOGI${BY_REF}`, { name: { default: 'Logistics' }, dataEntryCode: '3' });
    expect(byRef.status).toBe(201);
    expect(byRef.body).toMatchObject({ externalReference: 'LOGI', dataEntryCode: '3' });
    const byCode = await api('PUT', `${LEVEL(1)}/4${BY_CODE}`, { name: { default: 'Quality' }, dataEntryCode: '4' });
    expect(byCode.status).toBe(201);
    expect(byCode.body).toMatchObject({ dataEntryCode: '4', externalReference: null });
    const differs = await api('PUT', `${LEVEL(1)}/5${BY_CODE}`, { name: { default: 'Other' }, dataEntryCode: '6' });
    expect(differs.status).toBe(400);
    expect(differs.body.errors.dataEntryCode).toBeDefined();
  });

  it('answers 400 in manual mode when a creation through @data-entry-code leaves the code out of the body', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', `${LEVEL(1)}/4${BY_CODE}`, { name: { default: 'Quality' } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.dataEntryCode[0]).toContain('required');
    expect((await api('GET', `${LEVEL(1)}/4${BY_CODE}`)).status).toBe(404);
  });

  it('clears the fields a PUT leaves out', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', `${LEVEL(3)}/WINDOWS${BY_REF}`, { name: { default: 'Windows' }, parent: { id: IDS.order100 }, dataEntryCode: '30' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ shortCode: null, externalReference: null, info: null, name: { default: 'Windows', translations: {} } });
    expect(answer.body.activeFrom).toBeUndefined();
    expect((await api('GET', `${LEVEL(3)}/WindowCleaning${BY_CUSTOM}`)).body.id).toBe(IDS.windows);
    expect((await api('GET', `${LEVEL(3)}/${IDS.windows}/usages`)).body.usages).toHaveLength(2);
  });

  it('answers 400 naming name.default when it is missing', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', `${LEVEL(1)}/${IDS.production}`, { dataEntryCode: '2' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors['name.default']).toBeDefined();
    expect((await api('PUT', `${LEVEL(1)}/${IDS.production}`, { name: { translations: { nl: 'x' } }, dataEntryCode: '2' })).status).toBe(400);
  });

  it('answers 400 without a dataEntryCode when the tenant enters codes manually', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const create = await api('PUT', `${LEVEL(3)}/Mop${BY_CUSTOM}`, { name: { default: 'Mop' } });
    expect(create.status).toBe(400);
    expect(create.body.errors.dataEntryCode[0]).toContain('required');
    expect((await api('PUT', `${LEVEL(1)}/${IDS.production}`, { name: { default: 'P' }, dataEntryCode: null })).status).toBe(400);
  });

  it('generates a dataEntryCode on creation when the tenant is in auto mode, and keeps it on update', async () => {
    const sim = await startSeeded({}, (f) => {
      f.dataEntryCodeMode = 'auto';
    });
    const api = await apiClient(sim);
    const created = await api('PUT', `${LEVEL(1)}/AUTO${BY_REF}`, { name: { default: 'Auto' } });
    expect(created.status).toBe(201);
    expect(created.body.dataEntryCode).toMatch(/^\d+$/);
    expect(['1', '2']).not.toContain(created.body.dataEntryCode);
    const updated = await api('PUT', `${LEVEL(1)}/AUTO${BY_REF}`, { name: { default: 'Auto 2' }, externalReference: 'AUTO' });
    expect(updated.body.dataEntryCode).toBe(created.body.dataEntryCode);
    const byCode = await api('PUT', `${LEVEL(1)}/44${BY_CODE}`, { name: { default: 'By code' } });
    expect(byCode.status).toBe(201);
    expect(byCode.body.dataEntryCode).toBe('44');
  });

  it('answers 400 for a dataEntryCode or externalReference longer than 16 characters', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const code = await api('PUT', `${LEVEL(1)}/${IDS.production}`, { name: { default: 'P' }, dataEntryCode: '12345678901234567' });
    expect(code.status).toBe(400);
    expect(code.body.errors.dataEntryCode).toBeDefined();
    const ref = await api('PUT', `${LEVEL(1)}/${IDS.production}`, { name: { default: 'P' }, dataEntryCode: '2', externalReference: 'ABCDEFGHIJKLMNOPQ' });
    expect(ref.status).toBe(400);
    expect(ref.body.errors.externalReference).toBeDefined();
  });

  it('answers 400 for a dataEntryCode or externalReference another definition on the level uses', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const code = await api('PUT', `${LEVEL(1)}/${IDS.production}`, { name: { default: 'P' }, dataEntryCode: '1' });
    expect(code.status).toBe(400);
    expect(code.body.errors.dataEntryCode[0]).toContain(IDS.maintenance);
    const ref = await api('PUT', `${LEVEL(1)}/NEW${BY_CUSTOM}`, { name: { default: 'N' }, dataEntryCode: '9', externalReference: 'MAINT' });
    expect(ref.status).toBe(400);
    expect(ref.body.errors.externalReference).toBeDefined();
    const otherLevel = await api('PUT', `${LEVEL(2)}/NEW${BY_CUSTOM}`, { name: { default: 'N' }, dataEntryCode: '1', externalReference: 'MAINT' });
    expect(otherLevel.status).toBe(201);
  });

  it('answers 400 for a parent on level 1', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', `${LEVEL(1)}/TOP${BY_REF}`, { name: { default: 'Top' }, dataEntryCode: '7', parent: { id: IDS.production } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors['parent.id']).toBeDefined();
  });

  it('answers 400 for a parent that is not on the level above', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', `${LEVEL(3)}/Dust${BY_CUSTOM}`, { name: { default: 'Dust' }, dataEntryCode: '77', parent: { id: IDS.maintenance } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors['parent.id'][0]).toContain('level 2');
  });

  it('accepts a parent given by an external reference of the level above', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const byRef = await api('PUT', `${LEVEL(3)}/Dust${BY_CUSTOM}`, { name: { default: 'Dust' }, dataEntryCode: '77', parent: { id: 'ORD100' } });
    expect(byRef.status).toBe(201);
    expect(byRef.body.parent).toEqual({ id: IDS.order100 });
    const byCode = await api('PUT', `${LEVEL(3)}/78${BY_CODE}`, { name: { default: 'Sweep' }, dataEntryCode: '78', parent: { id: '200' } });
    expect(byCode.body.parent).toEqual({ id: IDS.order200 });
  });

  it('answers 400 when an update leaves out the existing parent', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', `${LEVEL(2)}/${IDS.order100}`, { name: { default: 'Order 100' }, dataEntryCode: '100' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors['parent.id'][0]).toContain(IDS.maintenance);
    const same = await api('PUT', `${LEVEL(2)}/${IDS.order100}`, { name: { default: 'Order 100' }, dataEntryCode: '100', parent: { id: 'MAINT' } });
    expect(same.status).toBe(200);
  });

  it('answers 400 when an update changes or adds a parent: it is immutable', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const changed = await api('PUT', `${LEVEL(2)}/${IDS.order100}`, { name: { default: 'Order 100' }, dataEntryCode: '100', parent: { id: IDS.production } });
    expect(changed.status).toBe(400);
    expect(changed.body.errors['parent.id'][0]).toContain('cannot change');
    const added = await api('PUT', `${LEVEL(3)}/${IDS.inspection}`, { name: { default: 'Inspection' }, dataEntryCode: '20003', parent: { id: IDS.order100 } });
    expect(added.status).toBe(400);
    expect((await api('GET', `${LEVEL(2)}/${IDS.order100}`)).body.parent).toEqual({ id: IDS.maintenance });
  });

  it('gives a top-level creation an open-ended Group usage per default-usage group', async () => {
    const sim = await startSeeded({}, (f) => {
      f.structureVersions[0]!.defaultUsage = { enabled: true, groups: [1, 3] };
    });
    const api = await apiClient(sim);
    const top = await api('PUT', `${LEVEL(1)}/R${BY_REF}`, { name: { default: 'Research' }, dataEntryCode: '8', activeFrom: '2025-06-01' });
    const usages = await api('GET', `${LEVEL(1)}/${top.body.id}/usages`);
    expect(usages.body.usages).toEqual([
      { activityUsageKind: 'Group', usageReference: { id: 1 }, from: '2025-06-01' },
      { activityUsageKind: 'Group', usageReference: { id: 3 }, from: '2025-06-01' },
    ]);
    const below = await api('PUT', `${LEVEL(2)}/R2${BY_REF}`, { name: { default: 'Lab' }, dataEntryCode: '8', parent: { id: top.body.id } });
    expect((await api('GET', `${LEVEL(2)}/${below.body.id}/usages`)).body.usages).toEqual([]);
  });

  it('adds no usage when default usage is off', async () => {
    const sim = await startSeeded({}, (f) => {
      f.structureVersions[0]!.defaultUsage = { enabled: false, groups: [1] };
    });
    const api = await apiClient(sim);
    const top = await api('PUT', `${LEVEL(1)}/R${BY_REF}`, { name: { default: 'Research' }, dataEntryCode: '8' });
    expect((await api('GET', `${LEVEL(1)}/${top.body.id}/usages`)).body.usages).toEqual([]);
  });

  it('answers 400 for malformed JSON and for an empty body, 404 for an unknown structure version', async () => {
    const sim = await startSeeded();
    const token = await tokenFor(sim);
    const malformed = await send(sim, 'PUT', `${LEVEL(1)}/${IDS.production}`, { token, raw: '{"name": {"default": "P"' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status: 400, title: expect.any(String), errors: { $: [expect.any(String)] } });
    expect((await send(sim, 'PUT', `${LEVEL(1)}/${IDS.production}`, { token, raw: '' })).status).toBe(400);
    const unknownSv = await send(sim, 'PUT', `/connector/protimeapi/api/v1/activity-structure-versions/x/levels/1/activity-definitions/A${BY_REF}`, {
      token,
      json: { name: { default: 'A' }, dataEntryCode: '1' },
    });
    expect(unknownSv.status).toBe(404);
    expect((await send(sim, 'PUT', `${LEVEL(1)}/${IDS.production}`, { token, json: { name: { default: 'P' }, dataEntryCode: '2', activeFrom: '1 May' } })).status).toBe(400);
  });

  it('ignores a changeVersion in the body: it is read-only', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', `${LEVEL(1)}/${IDS.production}`, { name: { default: 'P' }, dataEntryCode: '2', changeVersion: 1 });
    expect(answer.status).toBe(200);
    expect(answer.body.changeVersion).not.toBe('00000000000000000001');
    expect(sim.store.definition(IDS.production)?.name.default).toBe('P');
    expect(sim.store.definition(IDS.production)?.structureVersion).toBe(SV);
  });
});
