import { describe, expect, it } from 'vitest';
import { definitionSchema, personSchema } from '../../../src/simulator/fixtureSchema.js';
import { DEMO_SV, syncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(syncRig);

const GONE = '00000000-0000-0000-0000-000000000000';
const RETIRED = 'retired-0000-0000-0000-000000000001';
const MAINTENANCE = '0b3642ae-16c9-4914-b099-2ba4b99d5ee9';
const RETIRED_DEFINITION = 'retired-def-0000-0000-000000000001';

describe('a structure version that Protime no longer knows does not keep the others from syncing', () => {
  it('caches the structure versions that synced, reports the missing one by id and counts the run as failed', async () => {
    const rig = await startRig({ targets: [{ id: DEMO_SV, levels: 3 }, { id: GONE, levels: 2 }] });
    await expect(rig.engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_HTTP_STATUS', status: 404 });
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
    expect(rig.index()).toBeDefined();
    expect(rig.engine.status).toMatchObject({ state: 'error', upstreamReachable: true, lastError: { code: 'SYNC_HTTP_STATUS' }, lastReport: { definitionsWritten: 31 } });
    expect(rig.engine.status.lastError?.message).toContain(GONE);
  });

  it('keeps what it cached of a structure version that has since gone, people its usages name included', async () => {
    const rig = await startRig({
      targets: [{ id: DEMO_SV, levels: 3 }, { id: RETIRED, levels: 1 }],
      edit: (f) => {
        f.structureVersions.push({ id: RETIRED, levels: 1, defaultUsage: { enabled: false, groups: [] } });
        f.definitions.push(
          definitionSchema.parse({
            id: RETIRED_DEFINITION,
            structureVersion: RETIRED,
            level: 1,
            name: { default: 'Old line' },
            dataEntryCode: '1',
            usages: [{ activityUsageKind: 'Group', usageReference: { id: 99 }, from: '2020-01-01' }],
          }),
        );
        f.people.push(personSchema.parse({ id: 99, badgeNumber: '0000099', groups: [99] }));
      },
    });
    await rig.engine.run({ full: true });
    expect(rig.store.loadSnapshot().definitions).toHaveLength(32);

    // Retired upstream: every read under it answers 404 from now on.
    rig.sim.faults.add({ kind: 'status', status: 404, times: -1, match: { path: RETIRED } });
    const maintenance = rig.sim.store.definition(MAINTENANCE);
    if (maintenance === undefined) throw new Error('the demo tenant has no Maintenance definition');
    rig.sim.store.upsertDefinition({ ...maintenance, name: { default: 'Upkeep', translations: {} } });
    await expect(rig.engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_HTTP_STATUS', status: 404 });

    const snapshot = rig.store.loadSnapshot();
    expect(snapshot.definitions).toHaveLength(32);
    expect(snapshot.definitions.find((d) => d.id === MAINTENANCE)?.name.default).toBe('Upkeep');
    expect(snapshot.definitions.find((d) => d.id === RETIRED_DEFINITION)).toMatchObject({ structureVersion: RETIRED });
    expect(snapshot.usages.filter((u) => u.definitionId === RETIRED_DEFINITION)).toHaveLength(1);
    expect(snapshot.people.find((p) => p.id === 99)).toMatchObject({ groups: [99] });
    expect(rig.engine.status.lastError?.message).toContain(RETIRED);
  });
});
