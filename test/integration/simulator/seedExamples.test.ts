import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES, SEED_BASE as BASE } from '../../fixtures/seedRequests.js';
import { apiClient, closeSimulators, IDS, send, startSeeded, tokenFor } from '../../support/simulatorClient.js';

afterEach(closeSimulators);

/**
 * Every request example of the seed pages (000 update usage, 001 delete usage, 002 create or
 * update activity definitions), sent exactly as written — path, query and body text — each to a
 * fresh simulator holding the seed fixture.
 */

describe('the seed pages’ request examples', () => {
  it.each(EXAMPLES)('answers $status to "$title" sent as written', async (example) => {
    const sim = await startSeeded();
    const token = await tokenFor(sim);
    const answer = await send(sim, example.method, example.path, { token, raw: example.body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(example.status);
  });

  it('applies the usage updates of seed 000', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    for (const example of EXAMPLES.slice(0, 2)) await send(sim, example.method, example.path, { token: await tokenFor(sim), raw: example.body });
    expect((await api('GET', `${BASE}/levels/3/activity-definitions/${IDS.windows}/usages`)).body.usages[0]).toEqual({
      activityUsageKind: 'Circle',
      usageReference: { id: 13 },
      from: '2025-01-15',
      until: '2025-12-31',
    });
    expect((await api('GET', `${BASE}/levels/1/activity-definitions/${IDS.production}/usages`)).body.usages[1]).toEqual({
      activityUsageKind: 'Person',
      usageReference: { id: 1234 },
      from: '2025-02-01',
      until: '2025-12-31',
    });
  });

  it('removes the usages deleted by seed 001, the open-ended one included', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    for (const example of EXAMPLES.slice(2, 6)) await send(sim, example.method, example.path, { token: await tokenFor(sim), raw: example.body });
    expect((await api('GET', `${BASE}/levels/3/activity-definitions/${IDS.windows}/usages`)).body.usages).toEqual([]);
    expect((await api('GET', `${BASE}/levels/2/activity-definitions/${IDS.order100}/usages`)).body.usages).toEqual([]);
    expect((await api('GET', `${BASE}/levels/1/activity-definitions/${IDS.production}/usages`)).body.usages).toHaveLength(1);
  });

  it('creates the seed 002 definitions findable by their custom reference, with a Location', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const cleaning = await send(sim, 'PUT', EXAMPLES[6]!.path, { token: await tokenFor(sim), raw: EXAMPLES[6]!.body });
    expect(cleaning.headers.get('location')).toBe(`${BASE}/levels/3/activity-definitions/${cleaning.body.id}`);
    expect(cleaning.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(cleaning.body).toMatchObject({ level: 3, name: { default: 'Cleaning', translations: { nl: 'Schoonmaken', fr: 'Nettoyer' } }, dataEntryCode: '00026', activeUntil: '2026-01-01' });
    expect((await api('GET', `${BASE}/levels/3/activity-definitions/Cleaning?externalReferences=(activity-definitions,CustomActivityReference)`)).body.id).toBe(cleaning.body.id);
    expect((await api('GET', cleaning.headers.get('location')!)).body.id).toBe(cleaning.body.id);

    const maintenance = await send(sim, 'PUT', EXAMPLES[8]!.path, { token: await tokenFor(sim), raw: EXAMPLES[8]!.body });
    expect(maintenance.body).toMatchObject({ level: 2, parent: { id: IDS.maintenance }, dataEntryCode: '00026', externalReference: 'Cleaning' });
    expect((await api('GET', `${BASE}/levels/2/activity-definitions/Maintenance?externalReferences=(activity-definitions,CustomActivityReference)`)).body.id).toBe(maintenance.body.id);
  });

  it('replaces the definition updated through its data entry code in seed 002', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const updated = await send(sim, 'PUT', EXAMPLES[7]!.path, { token: await tokenFor(sim), raw: EXAMPLES[7]!.body });
    expect(updated.body).toMatchObject({ id: IDS.inspection, name: { default: 'Cleaning', translations: {} }, shortCode: 'A003', externalReference: 'CL01', activeUntil: '2025-09-30' });
    const usages = await api('GET', `${BASE}/levels/3/activity-definitions/${IDS.inspection}/usages`);
    expect(usages.body.usages).toHaveLength(1);
  });
});
