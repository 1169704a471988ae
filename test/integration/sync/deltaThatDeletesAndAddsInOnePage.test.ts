import { describe, expect, it } from 'vitest';
import { DEMO_SV, syncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(syncRig);

const ORDER_100 = '22d320ed-f6ed-44bd-b7b1-fe58f518960c';

/** A rig whose next delta answer carries `changes` (as Protime would send them), once: the definitions say their level. */
async function rigWithDeltaPage(changes: (painting: { id: string; changeVersion: string }) => unknown[]) {
  let page: unknown[] | undefined;
  const rig = await startRig({
    edit: (f) => void (f.deltaCollections = ['activity-definitions']),
    rewrite: (_method, path, status, headers, body) => {
      if (page === undefined || status !== 200 || !path.includes('/delta/activity-definitions')) return undefined;
      const answer = JSON.parse(body) as { value: unknown[] };
      answer.value = page;
      page = undefined;
      return { status, headers, body: JSON.stringify(answer) };
    },
  });
  await rig.engine.run({ full: true });
  const painting = rig.store.loadSnapshot().definitions.find((d) => d.dataEntryCode === '26');
  if (painting === undefined) throw new Error('the demo tenant has no code 26');
  page = changes({ id: painting.id, changeVersion: painting.changeVersion ?? '1' });
  return rig;
}

const data = (id: string, changeVersion: string, name: string) => ({
  id, level: 3, changeVersion, name: { default: name }, parent: { id: ORDER_100 }, dataEntryCode: '26',
  usages: [{ activityUsageKind: 'Group', usageReference: { id: 1 }, from: '2020-01-01' }], restrictions: [],
});

describe('a delta page that deletes a definition and adds one with its code', () => {
  it('serves the added one, when it has a new id', async () => {
    const rig = await rigWithDeltaPage((p) => [
      { changeType: 'Delete', data: { id: p.id, changeVersion: `${Number(p.changeVersion) + 1}` } },
      { changeType: 'InsertOrUpdate', data: data('repainting', '1', 'Repainting') },
    ]);
    await rig.engine.run();
    expect(rig.index()?.find(DEMO_SV, 3, '26')?.name).toBe('Repainting');
  });

  it('serves the definition again, when the same id is deleted and then added back', async () => {
    const rig = await rigWithDeltaPage((p) => [
      { changeType: 'Delete', data: { id: p.id, changeVersion: `${Number(p.changeVersion) + 1}` } },
      { changeType: 'InsertOrUpdate', data: data(p.id, `${Number(p.changeVersion) + 2}`, 'Painting again') },
    ]);
    await rig.engine.run();
    expect(rig.index()?.find(DEMO_SV, 3, '26')?.name).toBe('Painting again');
    expect(rig.store.loadSnapshot().definitions.filter((d) => d.dataEntryCode === '26')).toHaveLength(1);
  });

  it('drops the definition, when it is added and then deleted', async () => {
    const rig = await rigWithDeltaPage((p) => [
      { changeType: 'InsertOrUpdate', data: data(p.id, `${Number(p.changeVersion) + 1}`, 'Painting, briefly') },
      { changeType: 'Delete', data: { id: p.id, changeVersion: `${Number(p.changeVersion) + 2}` } },
    ]);
    await rig.engine.run();
    expect(rig.index()?.find(DEMO_SV, 3, '26')).toBeUndefined();
  });
});
