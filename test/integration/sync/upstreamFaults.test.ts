import { describe, expect, it } from 'vitest';
import { DEMO_SV, syncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(syncRig);

describe('a sync against a misbehaving upstream', () => {
  it('renews tokens that expire in the middle of a paged listing and carries on', async () => {
    // Tokens live 1 s and every level-3 page takes 300 ms: the listing outlives several tokens.
    const rig = await startRig({ sim: { pageSize: 4, tokenLifetimeSeconds: 1 } });
    rig.sim.faults.add({ kind: 'latency', ms: 300, times: -1, match: { path: 'levels/3/' } });
    await rig.engine.run({ full: true });
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
    const tokens = rig.sim.requests().filter((r) => r.path.includes('/connect/token'));
    expect(tokens.length).toBeGreaterThanOrEqual(3);
  });

  it('renews a token that the upstream stopped accepting (401) and retries once', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    rig.sim.expireTokens();
    const before = rig.sim.requests().length;
    await rig.engine.run();
    const after = rig.sim.requests().slice(before);
    expect(after.filter((r) => r.status === 401).length).toBeGreaterThan(0);
    expect(after.filter((r) => r.path.includes('/connect/token')).length).toBeGreaterThan(0);
    expect(rig.engine.status.state).toBe('ok');
  });

  it('waits as long as a 429 Retry-After says, then succeeds', async () => {
    const rig = await startRig();
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 1, match: { path: 'levels/2/' } });
    const started = Date.now();
    await rig.engine.run({ full: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
  });

  it('gives up at once, reporting the rate limit, when Retry-After asks for more than a minute', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 3600, times: -1 });
    const before = rig.sim.requests().length;
    await expect(rig.engine.run()).rejects.toMatchObject({ code: 'SYNC_RATE_LIMITED' });
    // At once: no request was asked again after waiting, so every one was answered 429 only once.
    const limited = rig.sim.requests().slice(before).filter((r) => r.status === 429).map((r) => r.path);
    expect(limited.length).toBeGreaterThan(0);
    expect(new Set(limited).size).toBe(limited.length);
    expect(rig.engine.status).toMatchObject({ state: 'error', lastError: { code: 'SYNC_RATE_LIMITED' } });
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
  });

  it('retries a 500 and succeeds', async () => {
    const rig = await startRig();
    rig.sim.faults.add({ kind: 'status', status: 500, times: 2, match: { path: 'levels/1/' } });
    await rig.engine.run({ full: true });
    expect(rig.sim.requests().filter((r) => r.status === 500)).toHaveLength(2);
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
  });

  it('retries a reset connection and a truncated body', async () => {
    const rig = await startRig();
    rig.sim.faults.add({ kind: 'reset', match: { path: 'levels/2/' } });
    rig.sim.faults.add({ kind: 'truncated', match: { path: 'levels/3/' } });
    await rig.engine.run({ full: true });
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
  });

  it('keeps the old cache intact and reports the error when an answer is malformed', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    const before = rig.store.loadSnapshot();
    const indexBefore = rig.index();
    rig.sim.store.upsertDefinition({ id: 'x1', structureVersion: DEMO_SV, level: 1, name: { default: 'Should not land' }, dataEntryCode: '9' });
    rig.sim.faults.add({ kind: 'malformed', match: { path: 'levels/3/' } });
    await expect(rig.engine.run()).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE' });
    expect(rig.store.loadSnapshot()).toEqual(before);
    expect(rig.index()).toBe(indexBefore);
    expect(rig.engine.status).toMatchObject({ state: 'error', lastError: { code: 'SYNC_MALFORMED_RESPONSE' }, upstreamReachable: true });
    expect(rig.engine.status.lastSuccessAt).toBeDefined();
  });

  it('reports a cache that refuses the sync as CACHE_WRITE_FAILED, not as the network, and keeps the old state', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    const before = rig.store.loadSnapshot();
    rig.sim.store.upsertDefinition({ id: 'x2', structureVersion: DEMO_SV, level: 1, name: { default: 'Should not land' }, dataEntryCode: '8' });
    // The cache file itself refuses the write, as a full disk or a broken file would.
    rig.db.exec("CREATE TRIGGER refuse BEFORE INSERT ON definitions BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    await expect(rig.engine.run()).rejects.toMatchObject({ code: 'CACHE_WRITE_FAILED' });
    expect(rig.engine.status).toMatchObject({ state: 'error', lastError: { code: 'CACHE_WRITE_FAILED', message: expect.stringContaining('disk is full') }, upstreamReachable: true });
    expect(rig.store.loadSnapshot()).toEqual(before);
  });

  it('runs a full sync asked for while an incremental one is under way, after it, instead of handing back the incremental report', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    rig.sim.faults.add({ kind: 'latency', ms: 300, match: { path: 'levels/1/' } });
    const incremental = rig.engine.run();
    const full = rig.engine.run({ full: true });
    const alsoFull = rig.engine.run({ full: true });
    expect((await incremental).full).toBe(false);
    expect((await full).full).toBe(true);
    expect(await alsoFull).toBe(await full);
  });

  it('reports the upstream unreachable when it is down, and keeps the cache', async () => {
    const rig = await startRig();
    await rig.engine.run({ full: true });
    await rig.sim.close();
    await expect(rig.engine.run()).rejects.toMatchObject({ code: 'SYNC_NETWORK' });
    expect(rig.engine.status.upstreamReachable).toBe(false);
    expect(rig.store.loadSnapshot().definitions).toHaveLength(31);
  });
});
