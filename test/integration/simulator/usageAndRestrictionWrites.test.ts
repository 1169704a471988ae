import { afterEach, describe, expect, it } from 'vitest';
import { apiClient, closeSimulators, IDS, LEVEL, send, startSeeded, tokenFor } from '../../support/simulatorClient.js';

afterEach(closeSimulators);

const USAGES = `${LEVEL(3)}/${IDS.windows}/usages`;
const circle = (id: number, from: string, until?: string) => ({ activityUsageKind: 'Circle', usageReference: { id }, from, ...(until === undefined ? {} : { until }) });

describe('usages: create, change, delete', () => {
  it('creates a usage and answers 201 with the definition’s usages', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const before = (await api('GET', USAGES)).body.changeVersion;
    const answer = await api('POST', USAGES, circle(13, '2026-01-01', ''));
    expect(answer.status).toBe(201);
    expect(answer.body.usages).toContainEqual(circle(13, '2026-01-01'));
    expect(answer.body.changeVersion > before).toBe(true);
  });

  it('answers 400 naming the conflicting usage when a new usage overlaps one of the same kind and reference', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('POST', USAGES, circle(13, '2025-12-31'));
    expect(answer.status).toBe(400);
    expect(answer.body.errors.from[0]).toContain('Circle 13 usage from 2025-01-01 until 2025-12-31');
    expect((await api('POST', USAGES, circle(20, '2024-01-01', '2025-01-01'))).status).toBe(400);
    expect((await api('POST', USAGES, circle(14, '2025-06-01'))).status).toBe(201);
    expect((await api('POST', USAGES, { activityUsageKind: 'Group', usageReference: { id: 13 }, from: '2025-06-01' })).status).toBe(201);
  });

  it('answers 400 for an until before from, an unknown kind or a missing reference', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const reversed = await api('POST', USAGES, circle(30, '2025-06-01', '2025-05-01'));
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors.until).toBeDefined();
    const kind = await api('POST', USAGES, { activityUsageKind: 'Team', usageReference: { id: 1 }, from: '2025-01-01' });
    expect(kind.body.errors.activityUsageKind).toBeDefined();
    const reference = await api('POST', USAGES, { activityUsageKind: 'Group', from: '2025-01-01' });
    expect(reference.body.errors.usageReference).toBeDefined();
  });

  it('answers 404 for usages of an unknown definition', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect((await api('POST', `${LEVEL(3)}/nope/usages`, circle(13, '2026-01-01'))).status).toBe(404);
  });

  it('changes an open-ended usage identified without originalUntil, and can close it', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', USAGES, {
      activityUsageKind: 'Circle',
      usageReference: { id: 20 },
      originalFrom: '2025-01-01',
      updatedFrom: '2025-01-01',
      updatedUntil: '2025-06-30',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.usages).toContainEqual(circle(20, '2025-01-01', '2025-06-30'));
    const reopened = await api('PUT', USAGES, {
      activityUsageKind: 'Circle',
      usageReference: { id: 20 },
      originalFrom: '2025-01-01',
      originalUntil: '2025-06-30',
      updatedFrom: '2025-02-01',
      updatedUntil: '',
    });
    expect(reopened.body.usages).toContainEqual(circle(20, '2025-02-01'));
  });

  it('answers 404 when the original dates do not match a stored usage exactly', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const base = { activityUsageKind: 'Circle', usageReference: { id: 13 }, updatedFrom: '2025-01-15', updatedUntil: '2025-12-31' };
    expect((await api('PUT', USAGES, { ...base, originalFrom: '2025-01-02', originalUntil: '2025-12-31' })).status).toBe(404);
    expect((await api('PUT', USAGES, { ...base, originalFrom: '2025-01-01' })).status).toBe(404);
    expect((await api('PUT', USAGES, { ...base, usageReference: { id: 14 }, originalFrom: '2025-01-01', originalUntil: '2025-12-31' })).status).toBe(404);
  });

  it('answers 400 when the changed dates overlap another usage of the same kind and reference', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    await api('POST', USAGES, circle(13, '2026-01-01', '2026-12-31'));
    const answer = await api('PUT', USAGES, {
      activityUsageKind: 'Circle',
      usageReference: { id: 13 },
      originalFrom: '2025-01-01',
      originalUntil: '2025-12-31',
      updatedFrom: '2025-01-01',
      updatedUntil: '2026-01-01',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.updatedFrom[0]).toContain('from 2026-01-01 until 2026-12-31');
  });

  it('answers 400 for an open end written other than as the seeds document it', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const open = { activityUsageKind: 'Circle', usageReference: { id: 20 }, originalFrom: '2025-01-01', updatedFrom: '2025-02-01' };
    // Seed 000: originalUntil is left out for an open-ended usage; "" is documented for updatedUntil only.
    const emptyOriginal = await api('PUT', USAGES, { ...open, originalUntil: '' });
    expect(emptyOriginal.status).toBe(400);
    expect(emptyOriginal.body.errors.originalUntil).toBeDefined();
    expect((await api('PUT', USAGES, { ...open, originalUntil: null })).status).toBe(400);
    expect((await api('PUT', USAGES, { ...open, updatedUntil: null })).status).toBe(400);
    expect((await api('POST', USAGES, { ...circle(14, '2026-01-01'), until: null })).status).toBe(400);
    expect((await api('DELETE', USAGES, { ...circle(20, '2025-01-01'), until: null })).status).toBe(400);
    // The documented forms still work.
    expect((await api('PUT', USAGES, { ...open, updatedUntil: '' })).status).toBe(200);
    expect((await api('DELETE', USAGES, circle(20, '2025-02-01', ''))).status).toBe(204);
  });

  it('answers 404 when deleting a usage that does not match exactly', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect((await api('DELETE', USAGES, circle(13, '2025-01-01'))).status).toBe(404);
    expect((await api('DELETE', USAGES, circle(20, '2025-01-01', '2025-12-31'))).status).toBe(404);
    expect((await api('GET', USAGES)).body.usages).toHaveLength(2);
  });

  it('finds the definition of a usage write through an external reference', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('DELETE', `${LEVEL(3)}/30/usages?externalReferences=(activity-definitions,@data-entry-code)`, circle(20, '2025-01-01'));
    expect(answer.status).toBe(204);
    expect(answer.body).toBeUndefined();
  });
});

describe('restrictions: replace', () => {
  const RESTRICTIONS = `${LEVEL(2)}/${IDS.order100}/restrictions`;

  it('replaces the restrictions with a bare array and answers 200 with them', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', RESTRICTIONS, [{ level: 3, activityDefinitions: [{ id: IDS.windows }, { id: IDS.inspection }] }]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      changeVersion: expect.stringMatching(/^\d{20}$/),
      activityDefinition: { id: IDS.order100 },
      restrictions: [{ level: 3, activityDefinitions: [{ id: IDS.windows }, { id: IDS.inspection }] }],
    });
  });

  it('clears the restrictions with an empty array', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect((await api('PUT', RESTRICTIONS, [])).body.restrictions).toEqual([]);
    expect((await api('GET', RESTRICTIONS)).body.restrictions).toEqual([]);
  });

  it('answers 400 for a wrapper object instead of an array', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const answer = await api('PUT', RESTRICTIONS, { restrictions: [] });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.$[0]).toContain('array');
  });

  it('answers 400 for a referenced definition that does not exist on that level', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const missing = await api('PUT', RESTRICTIONS, [{ level: 3, activityDefinitions: [{ id: 'nope' }] }]);
    expect(missing.status).toBe(400);
    expect(missing.body.errors['[0].activityDefinitions[0].id']).toBeDefined();
    expect((await api('PUT', RESTRICTIONS, [{ level: 3, activityDefinitions: [{ id: IDS.order200 }] }])).status).toBe(400);
    expect((await api('PUT', RESTRICTIONS, [{ level: 9, activityDefinitions: [] }])).status).toBe(400);
    expect((await api('GET', RESTRICTIONS)).body.restrictions).toHaveLength(1);
  });

  it('answers 404 for an unknown definition', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    expect((await api('PUT', `${LEVEL(2)}/nope/restrictions`, [])).status).toBe(404);
  });

  it('answers 400 for a malformed body', async () => {
    const sim = await startSeeded();
    const answer = await send(sim, 'PUT', RESTRICTIONS, { token: await tokenFor(sim), raw: '[{"level": 3,' });
    expect(answer.status).toBe(400);
  });
});
