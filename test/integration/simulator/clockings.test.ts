import { afterEach, describe, expect, it } from 'vitest';
import { API, apiClient, closeSimulators, IDS, send, startSeeded, tokenFor } from '../../support/simulatorClient.js';

afterEach(closeSimulators);

const activity = (levels: [number, string][]) => ({
  person: { id: 1234 },
  date: '2025-03-04',
  timeOfDayInMinutes: 487,
  terminal: { id: 7 },
  kind: 'Activity',
  activityLevels: levels.map(([level, id]) => ({ level, activityDefinition: { id } })),
});
const path = [
  [1, IDS.maintenance],
  [2, IDS.order100],
  [3, IDS.windows],
] as [number, string][];

describe('registering clockings', () => {
  it('stores an activity clocking given by internal ids and answers 201 with its Location', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('POST', `${API}/clockings`, activity(path));
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe(`${API}/clockings/${answer.body.id}`);
    expect(answer.body).toMatchObject(activity(path));
    expect(sim.clockings()).toEqual([answer.body]);
    expect((await api('GET', answer.headers.get('location')!)).body).toEqual(answer.body);
  });

  it('resolves badge number, terminal code and data entry codes given as external references', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('POST', `${API}/clockings?externalReferences=(people,@badge-number)(terminals,@external-code)(activity-definitions,@data-entry-code)`, {
      ...activity([
        [1, '1'],
        [2, '100'],
        [3, '30'],
      ]),
      person: { id: '0001234' },
      terminal: { id: 'T7' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject(activity(path));
  });

  it('accepts the other kinds without activity levels, and the overnight time range', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const base = { person: { id: 1234 }, date: '2025-03-04', terminal: { id: 7 } };
    expect((await api('POST', `${API}/clockings`, { ...base, kind: 'InOut', timeOfDayInMinutes: -1440 })).status).toBe(201);
    expect((await api('POST', `${API}/clockings`, { ...base, kind: 'ActivityEnd', timeOfDayInMinutes: 2880 })).status).toBe(201);
    expect((await api('POST', `${API}/clockings`, { ...base, kind: 'Reason', timeOfDayInMinutes: 0 })).status).toBe(201);
  });

  it.each([
    ['person.id', { person: { id: 4242 } }],
    ['terminal.id', { terminal: { id: 70 } }],
    ['kind', { kind: 'Break' }],
    ['date', { date: '04/03/2025' }],
    ['date', { date: '2025-02-30' }],
    ['timeOfDayInMinutes', { timeOfDayInMinutes: 2881 }],
    ['timeOfDayInMinutes', { timeOfDayInMinutes: 12.5 }],
    ['activityLevels', { activityLevels: [] }],
    ['activityLevels[1].activityDefinition.id', { activityLevels: [{ level: 1, activityDefinition: { id: IDS.maintenance } }, { level: 2, activityDefinition: { id: IDS.windows } }] }],
    ['activityLevels[2].activityDefinition.id', activity([[1, IDS.production], [2, IDS.order200], [3, IDS.windows]])],
    ['activityLevels[1].activityDefinition.id', activity([[1, IDS.production], [2, IDS.order100]])],
    ['activityLevels[1].level', activity([[3, IDS.windows], [3, IDS.sales]])],
  ])('answers 400 naming %s when it is wrong', async (field, change) => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('POST', `${API}/clockings`, { ...activity(path), ...change });
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.errors)).toContain(field);
    expect(sim.clockings()).toEqual([]);
  });

  it('answers 400 when the definitions come from different structure versions', async () => {
    const other = 'f0000000-0000-4000-8000-00000000000f';
    const sim = await startSeeded({}, (f) => {
      f.structureVersions.push({ id: other, levels: 2, defaultUsage: { enabled: false, groups: [] } });
      f.definitions.push({ ...f.definitions[2]!, id: 'other-2', structureVersion: other, parent: undefined, customReferences: {}, usages: [], restrictions: [] });
    });
    const api = await apiClient(sim);
    const answer = await api('POST', `${API}/clockings`, activity([[1, IDS.maintenance], [2, 'other-2']]));
    expect(answer.status).toBe(400);
    expect(answer.body.errors.activityLevels[0]).toContain('structure version');
  });

  it('answers 400 for a badge that is unknown and for a malformed body', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const badge = await api('POST', `${API}/clockings?externalReferences=(people,@badge-number)`, { ...activity(path), person: { id: '9999999' } });
    expect(badge.status).toBe(400);
    expect(badge.body.errors['person.id']).toBeDefined();
    const malformed = await send(sim, 'POST', `${API}/clockings`, { token: await tokenFor(sim), raw: '{"person":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.$).toBeDefined();
  });
});

describe('listing clockings', () => {
  it('lists received clockings by person and date range, and requires a filter', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    for (const date of ['2025-02-28', '2025-03-01', '2025-03-31', '2025-04-01']) await api('POST', `${API}/clockings`, { ...activity(path), date });
    await api('POST', `${API}/clockings`, { ...activity(path), person: { id: 13 } });
    const march = await api('GET', `${API}/clockings?filter=person in (1234) and date ge '2025-03-01' and date le '2025-03-31'`);
    expect(march.status).toBe(200);
    expect(march.body.value.map((c: { date: string }) => c.date)).toEqual(['2025-03-01', '2025-03-31']);
    const missing = await api('GET', `${API}/clockings`);
    expect(missing.status).toBe(400);
    expect(missing.body.errors.filter).toBeDefined();
    expect((await api('GET', `${API}/clockings?filter=terminal eq 7`)).status).toBe(400);
  });

  it('shows every received clocking at the unauthenticated root view', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    await api('POST', `${API}/clockings`, activity(path));
    const view = await send(sim, 'GET', '/clockings');
    expect(view.status).toBe(200);
    expect(view.body).toEqual({ value: sim.clockings() });
    expect(view.body.value).toHaveLength(1);
  });
});
