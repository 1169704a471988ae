import { describe, expect, it } from 'vitest';
import { DEMO_SV, syncRig, type SyncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(syncRig);

const ORDER_100 = '22d320ed-f6ed-44bd-b7b1-fe58f518960c';

async function deltaRig(): Promise<SyncRig> {
  const r = await startRig({ sim: { pageSize: 5 }, edit: (f) => void (f.deltaCollections = ['people', 'activity-definitions']) });
  await r.engine.run({ full: true });
  return r;
}

const level3Calls = (r: SyncRig): string[] => r.sim.requests().map((q) => q.path).filter((p) => p.includes('/delta/') || p.includes('levels/3/'));

describe('incremental syncs', () => {
  it('apply inserts, updates and deletes through the delta link, without listing again', async () => {
    const rig = await deltaRig();
    const before = rig.sim.requests().length;
    rig.sim.store.upsertDefinition({
      id: 'new-def', structureVersion: DEMO_SV, level: 3, name: { default: 'Sweeping' }, parent: { id: ORDER_100 }, dataEntryCode: '777',
      usages: [{ activityUsageKind: 'Group', usageReference: { id: 1 }, from: '2020-01-01' }],
    });
    const painting = rig.store.loadSnapshot().definitions.find((d) => d.dataEntryCode === '26');
    expect(painting).toBeDefined();
    rig.sim.store.deleteDefinition(painting?.id as string);
    const report = await rig.engine.run();
    expect(report).toMatchObject({ full: false, definitionsWritten: 1, definitionsDeleted: 1 });
    const calls = rig.sim.requests().slice(before).map((q) => q.path);
    expect(calls.every((p) => !p.includes('/levels/'))).toBe(true);
    expect(calls.filter((p) => p.includes('/delta/activity-definitions'))).toHaveLength(3);
    const index = rig.index();
    expect(index?.find(DEMO_SV, 3, '777')?.name).toBe('Sweeping');
    expect(index?.find(DEMO_SV, 3, '26')).toBeUndefined();
  });

  it('keeps the newest delta link even when nothing changed', async () => {
    const rig = await deltaRig();
    const link = rig.store.cursor(`definitions:${DEMO_SV}:3`);
    expect(typeof link).toBe('string');
    const updatedAt = (): unknown => rig.db.prepare('SELECT updated_at FROM sync_cursors WHERE collection = ?').pluck().get(`definitions:${DEMO_SV}:3`);
    const before = updatedAt();
    const listings = level3Calls(rig).filter((p) => p.includes('levels/3/activity-definitions?')).length;
    await new Promise((r) => setTimeout(r, 5));
    await rig.engine.run();
    expect(typeof rig.store.cursor(`definitions:${DEMO_SV}:3`)).toBe('string');
    expect(updatedAt()).not.toBe(before);
    expect(level3Calls(rig).filter((p) => p.includes('levels/3/activity-definitions?'))).toHaveLength(listings);
  });

  it('lists the level in full again when the delta link has expired (410)', async () => {
    const rig = await deltaRig();
    rig.sim.store.upsertDefinition({ id: 'late', structureVersion: DEMO_SV, level: 3, name: { default: 'Late' }, parent: { id: ORDER_100 }, dataEntryCode: '778' });
    rig.sim.expireDeltas();
    const report = await rig.engine.run();
    expect(report.definitionsWritten).toBeGreaterThanOrEqual(1);
    expect(rig.index()?.find(DEMO_SV, 3, '778')?.name).toBe('Late');
    expect(level3Calls(rig).some((p) => p.includes('levels/3/activity-definitions?expand'))).toBe(true);
    // And the next run uses the fresh delta link again.
    const before = rig.sim.requests().length;
    await rig.engine.run();
    expect(rig.sim.requests().slice(before).some((q) => q.path.includes('/levels/'))).toBe(false);
  });
});

describe('incremental syncs where definitions offer no delta', () => {
  it('list every level and rewrite only what changed by changeVersion, deleting what vanished', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    expect(rig.store.cursor(`definitions:${DEMO_SV}:1`)).toBeNull();
    const painting = rig.store.loadSnapshot().definitions.find((d) => d.dataEntryCode === '26');
    rig.sim.store.deleteDefinition(painting?.id as string);
    const repair = rig.sim.store.definition(rig.store.loadSnapshot().definitions.find((d) => d.dataEntryCode === '1101')?.id as string);
    rig.sim.store.upsertDefinition({ ...(repair as NonNullable<typeof repair>), name: { default: 'Repair works', translations: {} } });
    const report = await rig.engine.run();
    expect(report).toMatchObject({ full: false, definitionsWritten: 1, definitionsDeleted: 1 });
    expect(rig.index()?.find(DEMO_SV, 3, '1101')?.name).toBe('Repair works');
    // No "delta" was asked for again once the collection said it has none.
    const calls = rig.sim.requests().map((q) => q.path);
    expect(calls.filter((p) => p.includes('&delta')).length).toBe(3);
  });

  it('ignores a listed definition whose changeVersion is older than the cached one', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    const stored = rig.store.loadSnapshot();
    const definition = stored.definitions.find((d) => d.dataEntryCode === '2001') as NonNullable<(typeof stored.definitions)[number]>;
    const id = definition.id;
    // The cache already holds a newer version (as if a delta delivered it before this listing).
    rig.store.apply({
      syncedAt: undefined,
      structureVersions: [],
      fullLevels: [],
      definitions: [{ definition: { ...definition, name: { ...definition.name, default: 'Newer' }, changeVersion: '99999999999999999999' }, usages: stored.usages.filter((u) => u.definitionId === id), restrictions: [] }],
      deletedDefinitions: [],
      fullPeople: false,
      people: [],
      deletedPeople: [],
      cursors: [],
    });
    const report = await rig.engine.run();
    expect(report.definitionsIgnoredAsOlder).toBe(1);
    expect(rig.index()?.byId(id)?.name).toBe('Newer');
  });
});
