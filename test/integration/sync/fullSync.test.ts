import { describe, expect, it } from 'vitest';
import { lookupDialog } from '../../../src/core/lookup.js';
import { parseDay } from '../../../src/core/day.js';
import { DEMO_SV, syncRig, type SyncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(syncRig);

const decide = (r: SyncRig, codes: string[], badge = '0001234', date = '2025-03-04'): string => {
  const index = r.index();
  if (index === undefined) throw new Error('no index yet');
  return lookupDialog(index, { structureVersion: DEMO_SV, levels: [1, 2, 3], badge, date: parseDay(date) as number, codes }, { noUsagePolicy: 'deny' }).decision;
};

describe('a full sync from the simulator over HTTP', () => {
  it('copies every level, usage, restriction and person into the cache and the index', async () => {
    const rig = await startRig({ sim: { pageSize: 4 } });
    const report = await rig.engine.run({ full: true });
    expect(report).toMatchObject({ full: true, peopleRefreshed: true, definitionsWritten: 31 });
    const snap = rig.store.loadSnapshot();
    expect(snap.definitions).toHaveLength(31);
    expect(snap.people.map((p) => p.id).sort((a, b) => a - b)).toEqual([5, 13, 42, 99, 1234]);
    expect(snap.people.find((p) => p.id === 13)).toMatchObject({ badges: ['0000013'], circles: [13], groups: [1] });
    expect(rig.index()?.stats).toMatchObject({ definitions: 31, restrictions: 2, people: 5 });
    expect(decide(rig, ['1', '100', '00026'])).toBe('ACCEPTED');
    expect(decide(rig, ['1', '100', '2001'])).toBe('WRONG_PARENT');
    expect(decide(rig, ['2', '200', '2004'])).toBe('NO_USAGE');
    expect(rig.engine.status).toMatchObject({ state: 'ok', upstreamReachable: true, lastError: undefined });
  });

  it('lists everything in full again once the full interval has passed, catching a usage change that kept its changeVersion', async () => {
    let now = Date.parse('2025-03-04T07:00:00Z');
    const rig = await startRig({ now: () => now });
    expect((await rig.engine.run()).full).toBe(true);
    const cleaning = rig.store.loadSnapshot().definitions.find((d) => d.dataEntryCode === '00026');
    if (cleaning === undefined) throw new Error('no Cleaning in the demo tenant');
    expect(rig.store.usagesOf(cleaning.id).length).toBeGreaterThan(0);
    // Protime changes the usages without raising the definition's changeVersion.
    const record = rig.sim.store.definitions.get(cleaning.id);
    if (record === undefined) throw new Error('no Cleaning upstream');
    record.usages = [];
    now += 60_000;
    expect((await rig.engine.run()).full).toBe(false);
    expect(rig.store.usagesOf(cleaning.id).length).toBeGreaterThan(0);
    now += 3_600_000;
    expect((await rig.engine.run()).full).toBe(true);
    expect(rig.store.usagesOf(cleaning.id)).toEqual([]);
  });

  it('walks pages until nextLink is absent, through an empty page in the middle', async () => {
    const rig = await startRig({ sim: { pageSize: 3 } });
    // The level-3 listing has 19 definitions: 7 pages of 3; an empty page answers the second request.
    rig.sim.faults.add({ kind: 'empty-page', match: { path: 'levels/3/activity-definitions?' } });
    await rig.engine.run({ full: true });
    expect(rig.store.loadSnapshot().definitions.filter((d) => d.level === 3)).toHaveLength(19);
    const level3Calls = rig.sim.requests().filter((r) => r.path.includes('/levels/3/activity-definitions'));
    expect(level3Calls.length).toBeGreaterThanOrEqual(8);
  });

  it('finds the number of levels when the config does not give it', async () => {
    const rig = await startRig({ levels: undefined });
    await rig.engine.run({ full: true });
    expect(rig.store.loadSnapshot().structureVersions).toEqual([{ id: DEMO_SV, levels: 3 }]);
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
  });

  it('sends a User-Agent and reuses one token per scope', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    await rig.engine.run();
    const tokenCalls = rig.sim.requests().filter((r) => r.path.includes('/connect/token'));
    expect(tokenCalls).toHaveLength(2); // definitions.read and people.read
  });

  it('never writes the client secret into a log line, even at debug level and on failure', async () => {
    const secret = 'demo-secret';
    const rig = await startRig({ secret });
    await rig.engine.run({ full: true });
    rig.sim.faults.add({ kind: 'status', status: 500, times: -1 });
    await expect(rig.engine.run()).rejects.toMatchObject({ code: 'SYNC_HTTP_STATUS' });
    expect(rig.logs.length).toBeGreaterThan(5);
    expect(rig.logs.join('\n')).not.toContain(secret);
  });

  it('names the problem when the credentials are wrong', async () => {
    const rig = await startRig({ secret: 'wrong-secret' });
    await expect(rig.engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_AUTH_FAILED' });
    expect(rig.engine.status.lastError?.message).toContain('client id, secret');
    expect(rig.engine.status.lastError?.message).not.toContain('wrong-secret');
  });
});
