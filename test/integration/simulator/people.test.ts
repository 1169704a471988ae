import { afterEach, describe, expect, it } from 'vitest';
import { API, apiClient, closeSimulators, startSeeded, walk } from '../../support/simulatorClient.js';

afterEach(closeSimulators);

const ids = (body: { value: { id: number }[] }): number[] => body.value.map((p) => p.id);

describe('listing people', () => {
  it('lists a person by id with the inferred item shape', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('GET', `${API}/people?filter=id eq 1234`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      value: [
        {
          id: 1234,
          changeVersion: expect.stringMatching(/^\d{20}$/),
          firstName: 'An',
          lastName: 'Peeters',
          employeeNumber: 'E1234',
          badgeNumber: '0001234',
          inServiceDate: '2020-01-01',
          outOfServiceDate: null,
        },
      ],
    });
  });

  it('filters by id list, circle and org-tree group, in ascending id order', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect(ids((await api('GET', `${API}/people?filter=id in (99, 5,1234,4242)`)).body)).toEqual([5, 99, 1234]);
    expect(ids((await api('GET', `${API}/people?filter=person in circle(13)`)).body)).toEqual([13, 1234]);
    expect(ids((await api('GET', `${API}/people?filter=person in circle(2,13)`)).body)).toEqual([13, 1234]);
    expect(ids((await api('GET', `${API}/people?filter=person in org-tree(5)`)).body)).toEqual([5, 1234]);
    expect(ids((await api('GET', `${API}/people?filter=${encodeURIComponent('person in org-tree(1,5)')}`)).body)).toEqual([5, 13, 99, 1234]);
  });

  it('joins filter terms with and', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect(ids((await api('GET', `${API}/people?filter=person in org-tree(1) and person in circle(13)`)).body)).toEqual([13]);
    expect(ids((await api('GET', `${API}/people?filter=id in (5,13) and person in org-tree(5)`)).body)).toEqual([5]);
  });

  it('reflects store changes in group membership', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    sim.store.upsertPerson({ id: 13, badgeNumber: '0000013', groups: [5], circles: [] });
    expect(ids((await api('GET', `${API}/people?filter=person in org-tree(5)`)).body)).toEqual([5, 13, 1234]);
    expect(ids((await api('GET', `${API}/people?filter=person in circle(13)`)).body)).toEqual([1234]);
  });

  it('pages a large group', async () => {
    const sim = await startSeeded({ pageSize: 50 });
    for (let id = 2000; id < 2120; id++) sim.store.upsertPerson({ id, badgeNumber: `B${id}`, groups: [9] });
    const api = await apiClient(sim);
    const pages = await walk(api, `${API}/people?filter=person in org-tree(9)`);
    expect(pages.map((p) => p.value.length)).toEqual([50, 50, 20]);
    expect(pages.flatMap((p) => ids(p))).toEqual(Array.from({ length: 120 }, (_, i) => 2000 + i));
  });

  it('answers 400 without a filter, and 400 naming an unsupported term', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const none = await api('GET', `${API}/people`);
    expect(none.status).toBe(400);
    expect(none.body.errors.filter).toBeDefined();
    const unknown = await api('GET', `${API}/people?filter=name eq 'An'`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.filter[0]).toContain("name eq 'An'");
    expect((await api('GET', `${API}/people?filter=id in (a,b)`)).status).toBe(400);
  });

  it('answers 414 for a URI longer than 8192 characters', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const many = Array.from({ length: 1500 }, (_, i) => i + 10000).join(',');
    const answer = await api('GET', `${API}/people?filter=id in (${many})`);
    expect(answer.status).toBe(414);
    const fits = Array.from({ length: 1000 }, (_, i) => i + 1000).join(',');
    expect((await api('GET', `${API}/people?filter=id in (${fits})`)).status).toBe(200);
  });
});
