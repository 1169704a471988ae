import { afterEach, describe, expect, it } from 'vitest';
import { API, apiClient, closeSimulators, IDS, LEVEL, SCOPE, send, startSeeded, SV, tokenFor, walk, type Answer } from '../../support/simulatorClient.js';

afterEach(closeSimulators);

type Api = (method: string, path: string) => Promise<Answer>;

/** Lists a collection with `delta` and returns the deltaLink of the last page. */
async function startDelta(api: Api, first: string): Promise<string> {
  const pages = await walk(api, first);
  const last = pages.at(-1);
  expect(pages.slice(0, -1).every((p) => p.deltaLink === undefined)).toBe(true);
  expect(last.deltaLink).toMatch(new RegExp(`^${API}/delta/`));
  return last.deltaLink as string;
}

describe('delta on activity definitions', () => {
  it('starts with a deltaLink on the last page and then reports nothing until something changes', async () => {
    const sim = await startSeeded({ pageSize: 2 });
    const api = await apiClient(sim);
    const link = await startDelta(api, `${LEVEL(3)}?delta`);
    expect(link).toMatch(new RegExp(`^${API}/delta/activity-definitions\\?deltaToken=`));
    const first = await api('GET', link);
    expect(first.status).toBe(200);
    expect(first.body.value).toEqual([]);
    expect(first.body.deltaLink).toEqual(expect.any(String));
    const second = await api('GET', first.body.deltaLink);
    expect(second.body.value).toEqual([]);
    expect(second.body.deltaLink).toEqual(expect.any(String));
  });

  it('reports inserts, updates and deletes made after the mark, with usages when started with expand', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const link = await startDelta(api, `${LEVEL(3)}?expand=usage,restrictions&delta`);
    sim.store.upsertDefinition({ id: 'new-1', structureVersion: SV, level: 3, name: { default: 'Sweeping' }, dataEntryCode: '31', parent: { id: IDS.order100 } });
    sim.store.setUsages(IDS.windows, [{ activityUsageKind: 'Person', usageReference: { id: 1234 }, from: '2025-01-01' }]);
    sim.store.deleteDefinition(IDS.sales);
    const answer = await api('GET', link);
    expect(answer.body.value).toEqual([
      { changeType: 'InsertOrUpdate', data: expect.objectContaining({ id: 'new-1', dataEntryCode: '31', usages: [], restrictions: [] }) },
      { changeType: 'InsertOrUpdate', data: expect.objectContaining({ id: IDS.windows, usages: [{ activityUsageKind: 'Person', usageReference: { id: 1234 }, from: '2025-01-01' }] }) },
      { changeType: 'Delete', data: { id: IDS.sales, changeVersion: expect.stringMatching(/^\d{20}$/) } },
    ]);
    const versions = answer.body.value.map((c: { data: { changeVersion: string } }) => c.data.changeVersion);
    expect([...versions].sort()).toEqual(versions);
    const next = await api('GET', answer.body.deltaLink);
    expect(next.body.value).toEqual([]);
  });

  it('leaves usages out of the changes when the delta was started without expand', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const link = await startDelta(api, `${LEVEL(1)}?delta`);
    sim.store.setRestrictions(IDS.maintenance, [{ level: 3, activityDefinitions: [{ id: IDS.windows }] }]);
    const answer = await api('GET', link);
    expect(answer.body.value).toHaveLength(1);
    expect(answer.body.value[0].data.usages).toBeUndefined();
  });

  it('reports a definition that moved to another level as deleted from the old one', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const level3 = await startDelta(api, `${LEVEL(3)}?delta`);
    const inspection = sim.store.definition(IDS.inspection)!;
    sim.store.upsertDefinition({ ...inspection, level: 2, parent: undefined, dataEntryCode: '299' });
    const answer = await api('GET', level3);
    expect(answer.body.value).toEqual([{ changeType: 'Delete', data: { id: IDS.inspection, changeVersion: expect.any(String) } }]);
    expect((await api('GET', `${LEVEL(2)}/299?externalReferences=(activity-definitions,@data-entry-code)`)).body.id).toBe(IDS.inspection);
  });

  it('pages a large change set with nextLinks and puts the new deltaLink on the last page', async () => {
    const sim = await startSeeded({ pageSize: 2 });
    const api = await apiClient(sim);
    const link = await startDelta(api, `${LEVEL(1)}?delta`);
    for (let i = 0; i < 5; i++) sim.store.upsertDefinition({ id: `bulk-${i}`, structureVersion: SV, level: 1, name: { default: `Bulk ${i}` }, dataEntryCode: `B${i}` });
    const pages = await walk(api, link);
    expect(pages.map((p) => p.value.length)).toEqual([2, 2, 1]);
    expect(pages.slice(0, -1).every((p) => p.deltaLink === undefined)).toBe(true);
    expect(pages.flatMap((p) => p.value.map((c: { data: { id: string } }) => c.data.id))).toEqual(['bulk-0', 'bulk-1', 'bulk-2', 'bulk-3', 'bulk-4']);
    expect((await api('GET', pages.at(-1).deltaLink)).body.value).toEqual([]);
  });

  it('delivers changes made while the listing was paged through on the first delta call', async () => {
    const sim = await startSeeded({ pageSize: 1 });
    const api = await apiClient(sim);
    const first = await api('GET', `${LEVEL(1)}?delta`);
    sim.store.upsertDefinition({ ...sim.store.definition(IDS.maintenance)!, info: 'changed mid-walk' });
    const last = await api('GET', first.body.nextLink);
    const changes = await api('GET', last.body.deltaLink);
    expect(changes.body.value).toEqual([{ changeType: 'InsertOrUpdate', data: expect.objectContaining({ id: IDS.maintenance, info: 'changed mid-walk' }) }]);
  });

  it('answers 410 Gone after expireDeltas', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const link = await startDelta(api, `${LEVEL(3)}?delta`);
    sim.expireDeltas();
    const answer = await api('GET', link);
    expect(answer.status).toBe(410);
    expect(answer.body.status).toBe(410);
  });

  it('answers 410 Gone 72 hours after the last use, and not before', async () => {
    let now = Date.parse('2025-03-04T08:00:00Z');
    const sim = await startSeeded({ now: () => now, tokenLifetimeSeconds: 30 * 24 * 3600 });
    const api = await apiClient(sim);
    let link = await startDelta(api, `${LEVEL(3)}?delta`);
    now += 71 * 3600_000;
    const used = await api('GET', link);
    expect(used.status).toBe(200);
    link = used.body.deltaLink;
    now += 71 * 3600_000;
    expect((await api('GET', link)).status).toBe(200);
    now += 72 * 3600_000 + 1;
    expect((await api('GET', link)).status).toBe(410);
  });

  it('retires the older delta when a new one is started on the same collection, but not on another level', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const older = await startDelta(api, `${LEVEL(3)}?delta`);
    const otherLevel = await startDelta(api, `${LEVEL(2)}?delta`);
    const newer = await startDelta(api, `${LEVEL(3)}?expand=usage&delta`);
    expect((await api('GET', older)).status).toBe(410);
    expect((await api('GET', newer)).status).toBe(200);
    expect((await api('GET', otherLevel)).status).toBe(200);
  });

  it('keeps one delta per API client: another client neither retires it nor may follow it', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const reader = await tokenFor(sim, [SCOPE.definitionsRead], { id: 'reader', secret: 'reader-secret' });
    const readerApi: Api = (method, path) => send(sim, method, path, { token: reader });
    const mine = await startDelta(api, `${LEVEL(3)}?delta`);
    const theirs = await startDelta(readerApi, `${LEVEL(3)}?delta`);
    expect((await api('GET', mine)).status).toBe(200);
    expect((await readerApi('GET', theirs)).status).toBe(200);
    const borrowed = await readerApi('GET', mine);
    expect(borrowed.status).toBe(410);
    expect(borrowed.body.detail).toContain('another client');
  });

  it('answers 400 naming delta when the fixture does not offer delta on definitions', async () => {
    const sim = await startSeeded({}, (f) => {
      f.deltaCollections = ['people'];
    });
    const api = await apiClient(sim);
    const answer = await api('GET', `${LEVEL(1)}?expand=usage,restrictions&delta`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.delta[0]).toContain('activity-definitions');
  });

  it('answers 400 for a deltaToken it did not issue', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect((await api('GET', `${API}/delta/activity-definitions?deltaToken=garbage`)).status).toBe(400);
    const peopleLink = await startDelta(api, `${API}/people?filter=id eq 1234&delta`);
    expect((await api('GET', peopleLink.replace('/delta/people', '/delta/activity-definitions'))).status).toBe(400);
  });
});

describe('delta on people', () => {
  it('reports changed people of the filter, and people who left it as deleted', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const link = await startDelta(api, `${API}/people?filter=person in org-tree(5)&delta`);
    sim.store.upsertPerson({ id: 1234, badgeNumber: '0001234', groups: [5], circles: [13], firstName: 'Anne' });
    sim.store.upsertPerson({ id: 5, badgeNumber: '0000005', groups: [1], circles: [] });
    sim.store.upsertPerson({ id: 77, badgeNumber: '0000077', groups: [5], circles: [] });
    const answer = await api('GET', link);
    expect(answer.body.value).toEqual([
      { changeType: 'InsertOrUpdate', data: expect.objectContaining({ id: 1234, firstName: 'Anne' }) },
      { changeType: 'Delete', data: { id: 5, changeVersion: expect.any(String) } },
      { changeType: 'InsertOrUpdate', data: expect.objectContaining({ id: 77, badgeNumber: '0000077' }) },
    ]);
    sim.store.deletePerson(77);
    const next = await api('GET', answer.body.deltaLink);
    expect(next.body.value).toEqual([{ changeType: 'Delete', data: { id: 77, changeVersion: expect.any(String) } }]);
  });

  it('issues a short deltaLink for a long filter, so following it does not hit the URI limit', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    // Carried inside the token, base64 would have made this filter's link longer than 8192.
    const filter = `id in (${[1234, ...Array.from({ length: 880 }, (_, i) => 100000 + i)].join(',')})`;
    expect(filter.length).toBeGreaterThan(6150);
    const link = await startDelta(api, `${API}/people?filter=${filter}&delta`);
    expect(link.length).toBeLessThan(200);
    sim.store.upsertPerson({ id: 1234, badgeNumber: '0001234', groups: [5], circles: [13], lastName: 'Jansen' });
    const answer = await api('GET', link);
    expect(answer.status).toBe(200);
    expect(answer.body.value).toEqual([{ changeType: 'InsertOrUpdate', data: expect.objectContaining({ id: 1234, lastName: 'Jansen' }) }]);
  });

  it('keeps one delta for the whole people collection', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const groups = await startDelta(api, `${API}/people?filter=person in org-tree(5)&delta`);
    await startDelta(api, `${API}/people?filter=person in circle(13)&delta`);
    expect((await api('GET', groups)).status).toBe(410);
  });

  it('answers 400 naming delta when the fixture does not offer delta on people', async () => {
    const sim = await startSeeded({}, (f) => {
      f.deltaCollections = ['activity-definitions'];
    });
    const api = await apiClient(sim);
    const answer = await api('GET', `${API}/people?filter=id eq 1234&delta`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.delta).toBeDefined();
  });
});
