import { describe, expect, it } from 'vitest';
import { importDefinitions } from '../../../src/app/import/importDefinitions.js';
import type { ImportRow } from '../../../src/app/import/csvRows.js';
import type { Rewrite } from '../../support/rewritingProxy.js';
import { adminRig, SEED_SV } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

/** Seed 002: the created definition's id "is available in the location header"; here the body is empty. */
const createdWithoutBody: Rewrite = (method, _path, status, headers) => (method === 'PUT' && status === 201 ? { status, headers, body: '' } : undefined);

function row(externalReference: string, dataEntryCode: string): ImportRow {
  return {
    line: 2,
    structureVersion: undefined,
    level: 3,
    externalReference,
    name: 'Imported',
    translations: {},
    dataEntryCode,
    shortCode: undefined,
    info: undefined,
    parent: undefined,
    activeFrom: undefined,
    activeUntil: undefined,
    usages: [{ kind: 'Circle', reference: 13, from: '2027-01-01', until: undefined }],
  };
}

describe('a definition Protime creates with 201, a Location and no body', () => {
  it('reaches the cache and the index without a sync', async () => {
    const rig = await startRig({ rewrite: createdWithoutBody });
    const res = await rig.admin(
      'PUT',
      `/activity-structure-versions/${SEED_SV}/levels/1/activity-definitions/NEWTOP?externalReferences=(activity-definitions,@external-reference)`,
      JSON.stringify({ name: { default: 'New top' }, dataEntryCode: '77', externalReference: 'NEWTOP' }),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/\/activity-definitions\//);
    expect(rig.gateway.index.find(SEED_SV, 1, '77')?.name).toBe('New top');
  });

  it('gets the usages of its import row added', async () => {
    const rig = await startRig({ rewrite: createdWithoutBody });
    const report = await importDefinitions([{ ok: true, row: row('IMP1', '3001') }], { admin: rig.gateway.admin, store: rig.gateway.models, defaultStructureVersion: SEED_SV, dryRun: false, progress: () => undefined });
    expect(report).toMatchObject({ created: 1, usagesAdded: 1, errors: [] });
    const upstream = rig.sim.store.definitions.list(SEED_SV, 3)?.items.find((d) => d.externalReference === 'IMP1');
    expect(upstream?.usages).toEqual([expect.objectContaining({ activityUsageKind: 'Circle', usageReference: { id: 13 }, from: '2027-01-01' })]);
  });

  it('is reported as a row error by the import, instead of a crash or its usages dropped, when the Location is missing too', async () => {
    const rig = await startRig({
      rewrite: (method, path, status, headers, body) => {
        const answer = createdWithoutBody(method, path, status, headers, body);
        if (answer !== undefined) delete answer.headers.location;
        return answer;
      },
    });
    const report = await importDefinitions([{ ok: true, row: row('IMP2', '3002') }], { admin: rig.gateway.admin, store: rig.gateway.models, defaultStructureVersion: SEED_SV, dryRun: false, progress: () => undefined });
    expect(report).toMatchObject({ created: 1, usagesAdded: 0 });
    expect(report.errors).toEqual([expect.objectContaining({ line: 2, reference: 'IMP2' })]);
  });
});
