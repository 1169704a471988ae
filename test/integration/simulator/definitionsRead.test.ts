import { afterEach, describe, expect, it } from 'vitest';
import { API, apiClient, closeSimulators, IDS, LEVEL, startSeeded, SV, walk } from '../../support/simulatorClient.js';

afterEach(closeSimulators);

describe('listing activity definitions', () => {
  it('lists one level with every field, in a stable order', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const page = await api('GET', LEVEL(3));
    expect(page.status).toBe(200);
    expect(page.body.nextLink).toBeUndefined();
    expect(page.body.value.map((d: { id: string }) => d.id)).toEqual([IDS.windows, IDS.inspection, IDS.sales]);
    const windows = page.body.value[0];
    expect(windows).toEqual({
      id: IDS.windows,
      structureVersion: SV,
      level: 3,
      changeVersion: expect.stringMatching(/^\d{20}$/),
      canConfigureRestrictions: true,
      name: { default: 'Window cleaning', translations: { nl: 'Ramen wassen' } },
      parent: { id: IDS.order100 },
      shortCode: 'WC',
      dataEntryCode: '30',
      externalReference: 'WINDOWS',
      info: 'Outside windows only',
      activeFrom: '2025-01-01',
    });
    expect(page.body.value[1].parent).toBeUndefined();
    expect(page.body.value[1].activeUntil).toBeUndefined();
  });

  it('leaves out parent on the top level', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const page = await api('GET', LEVEL(1));
    expect(page.body.value.every((d: object) => !('parent' in d))).toBe(true);
  });

  it('pages with nextLinks that keep the query, and only a missing nextLink ends the walk', async () => {
    const sim = await startSeeded({ pageSize: 1 });
    const api = await apiClient(sim);
    sim.faults.add({ kind: 'empty-page', match: { path: 'continuationToken' } });
    const pages = await walk(api, `${LEVEL(3)}?expand=usage`);
    expect(pages.map((p) => p.value.length)).toEqual([1, 0, 1, 1]);
    expect(pages[0].nextLink).toMatch(new RegExp(`^${API}/activity-structure-versions/${SV}/levels/3/activity-definitions\\?expand=usage&continuationToken=`));
    expect(pages.flatMap((p) => p.value.map((d: { id: string }) => d.id))).toEqual([IDS.windows, IDS.inspection, IDS.sales]);
    expect(pages.flatMap((p) => p.value).every((d: object) => 'usages' in d && !('restrictions' in d))).toBe(true);
    expect(pages[3].nextLink).toBeUndefined();
  });

  it('expands usages and restrictions on request', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const page = await api('GET', `${LEVEL(2)}?expand=usage,restrictions`);
    const order100 = page.body.value.find((d: { id: string }) => d.id === IDS.order100);
    expect(order100.usages).toEqual([{ activityUsageKind: 'Group', usageReference: { id: 5 }, from: '2025-01-01' }]);
    expect(order100.restrictions).toEqual([{ level: 3, activityDefinitions: [{ id: IDS.windows }] }]);
    const restrictionsOnly = await api('GET', `${LEVEL(2)}?expand=restrictions`);
    expect(restrictionsOnly.body.value[0].usages).toBeUndefined();
    expect(restrictionsOnly.body.value[0].restrictions).toBeDefined();
  });

  it('answers 404 for an unknown structure version and 400 for a level outside it', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect((await api('GET', `${API}/activity-structure-versions/nope/levels/1/activity-definitions`)).status).toBe(404);
    const level4 = await api('GET', LEVEL(4));
    expect(level4.status).toBe(400);
    expect(level4.body.errors.level).toBeDefined();
    expect((await api('GET', LEVEL(0))).status).toBe(400);
  });

  it('answers 400 naming expand for an unknown expand option', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('GET', `${LEVEL(1)}?expand=everything`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.expand).toBeDefined();
  });

  it('orders changeVersions as strings in the order of the changes', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const before = (await api('GET', `${LEVEL(1)}/${IDS.maintenance}`)).body.changeVersion as string;
    sim.store.setUsages(IDS.maintenance, []);
    const after = (await api('GET', `${LEVEL(1)}/${IDS.maintenance}`)).body.changeVersion as string;
    expect(after > before).toBe(true);
    expect(after).toHaveLength(20);
  });
});

describe('reading one activity definition', () => {
  it('finds a definition by its internal id, even one that is not hex', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('GET', `${LEVEL(3)}/${IDS.windows}`);
    expect(answer.status).toBe(200);
    expect(answer.body.name.default).toBe('Window cleaning');
  });

  it('finds a definition by data entry code, external reference and a custom key', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const byCode = await api('GET', `${LEVEL(3)}/20003?externalReferences=(activity-definitions,@data-entry-code)`);
    expect(byCode.body.id).toBe(IDS.inspection);
    const byReference = await api('GET', `${LEVEL(3)}/WINDOWS?externalReferences=(activity-definitions,@external-reference)`);
    expect(byReference.body.id).toBe(IDS.windows);
    const byCustom = await api('GET', `${LEVEL(3)}/WindowCleaning?externalReferences=(activity-definitions,CustomActivityReference)`);
    expect(byCustom.body.id).toBe(IDS.windows);
  });

  it('decodes percent-encoded references', async () => {
    const sim = await startSeeded();
    sim.store.upsertDefinition({ id: 'slashed', structureVersion: SV, level: 1, name: { default: 'A/B' }, dataEntryCode: 'A/B 1' });
    const api = await apiClient(sim);
    const answer = await api('GET', `${LEVEL(1)}/${encodeURIComponent('A/B 1')}?externalReferences=(activity-definitions,@data-entry-code)`);
    expect(answer.body.id).toBe('slashed');
  });

  it('looks references up within the level only', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect((await api('GET', `${LEVEL(2)}/${IDS.windows}`)).status).toBe(404);
    expect((await api('GET', `${LEVEL(2)}/30?externalReferences=(activity-definitions,@data-entry-code)`)).status).toBe(404);
    expect((await api('GET', `${LEVEL(3)}/nothing?externalReferences=(activity-definitions,OtherKey)`)).status).toBe(404);
  });

  it('answers 400 for an externalReferences option it cannot read', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('GET', `${LEVEL(3)}/30?externalReferences=(activity-definitions,@no-such-key)`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.externalReferences).toBeDefined();
    expect((await api('GET', `${LEVEL(3)}/30?externalReferences=activity-definitions`)).status).toBe(400);
  });

  it('reads the usages and restrictions of a definition', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const usages = await api('GET', `${LEVEL(3)}/${IDS.windows}/usages`);
    expect(usages.body).toEqual({
      changeVersion: expect.stringMatching(/^\d{20}$/),
      activityDefinition: { id: IDS.windows },
      usages: [
        { activityUsageKind: 'Circle', usageReference: { id: 13 }, from: '2025-01-01', until: '2025-12-31' },
        { activityUsageKind: 'Circle', usageReference: { id: 20 }, from: '2025-01-01' },
      ],
    });
    const restrictions = await api('GET', `${LEVEL(2)}/100/restrictions?externalReferences=(activity-definitions,@data-entry-code)`);
    expect(restrictions.body).toEqual({
      changeVersion: expect.stringMatching(/^\d{20}$/),
      activityDefinition: { id: IDS.order100 },
      restrictions: [{ level: 3, activityDefinitions: [{ id: IDS.windows }] }],
    });
    expect((await api('GET', `${LEVEL(2)}/unknown/usages`)).status).toBe(404);
  });

  it('answers 404 for paths outside the API and 405 for a method an endpoint lacks', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect((await api('GET', `${API}/nothing-here`)).status).toBe(404);
    expect((await api('GET', '/somewhere')).status).toBe(404);
    const wrongMethod = await api('DELETE', `${LEVEL(3)}/${IDS.windows}`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, PUT');
  });
});
