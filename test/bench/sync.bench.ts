import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ModelStore } from '../../src/cache/ModelStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { CodeIndex } from '../../src/core/codeIndex.js';
import { ProtimeClient } from '../../src/protime/ProtimeClient.js';
import { SyncEngine } from '../../src/protime/SyncEngine.js';
import type { FixtureInput } from '../../src/simulator/index.js';
import { startSimulatorProcess } from '../support/cli.js';
import { silentLogger } from '../support/silentLogger.js';
import type { BenchResult } from './run.js';
import { prng } from './support.js';

const SV = 'b2347a7a-d60d-446f-b03b-7es2cc8c3281';

/** A tenant of `n` definitions on three levels, 1–3 usages each, and the people of its groups and circles. */
function tenant(n: number): FixtureInput {
  const rnd = prng(7);
  const pick = (k: number): number => Math.floor(rnd() * k);
  const n1 = Math.max(10, Math.floor(n * 0.01));
  const n2 = Math.max(20, Math.floor(n * 0.1));
  const definitions: NonNullable<FixtureInput['definitions']> = [];
  const ids: string[][] = [[], [], [], []];
  for (let i = 0; i < n; i++) {
    const level = i < n1 ? 1 : i < n1 + n2 ? 2 : 3;
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const above = ids[level - 1] as string[];
    const usages = Array.from({ length: 1 + pick(3) }, (_, k) => ({
      activityUsageKind: (['Group', 'Circle', 'Person'] as const)[k % 3] as 'Group' | 'Circle' | 'Person',
      usageReference: { id: k % 3 === 2 ? 1 + pick(2000) : 1 + pick(50) },
      from: '2025-01-01',
    }));
    definitions.push({
      id,
      structureVersion: SV,
      level,
      name: { default: `Definition ${i}` },
      dataEntryCode: String(100_000 + i),
      ...(level > 1 ? { parent: { id: above[pick(above.length)] as string } } : {}),
      usages,
    });
    (ids[level] as string[]).push(id);
  }
  const people = Array.from({ length: 2000 }, (_, i) => ({ id: i + 1, badgeNumber: String(i + 1).padStart(8, '0'), groups: [1 + (i % 50)], circles: [1 + (i % 50)] }));
  return {
    tenant: 'bench',
    dataEntryCodeMode: 'manual',
    deltaCollections: ['people', 'activity-definitions'],
    clients: [{ clientId: 'gw', clientSecret: 'secret', scopes: ['connector-protimeapi-activity-definitions.read', 'connector-protimeapi-activity-definitions.write', 'connector-protimeapi-people.read'] }],
    structureVersions: [{ id: SV, levels: 3 }],
    definitions,
    people,
    terminals: [],
  };
}

/** How long `run` took, and the longest the event loop (which answers the terminals) was held up meanwhile. */
async function withStall<T>(run: () => Promise<T>): Promise<{ result: T; ms: number; stallMs: number }> {
  const stall = monitorEventLoopDelay({ resolution: 1 });
  stall.enable();
  const t0 = performance.now();
  const result = await run();
  const ms = performance.now() - t0;
  // The sample of a stall at the very end of the run is taken once the loop turns again.
  await new Promise((resolve) => setTimeout(resolve, 20));
  stall.disable();
  return { result, ms, stallMs: stall.max / 1e6 };
}

export async function syncBench({ quick }: { quick: boolean }): Promise<BenchResult> {
  const size = quick ? 10_000 : 100_000;
  const changes = quick ? 100 : 1000;
  const dir = mkdtempSync(join(tmpdir(), 'ptgw-bench-sync-'));
  const fixtureFile = join(dir, 'tenant.json');
  const fixture = tenant(size);
  writeFileSync(fixtureFile, JSON.stringify(fixture));
  // The simulator runs in its own process, so the RSS measured here is the gateway's alone.
  const { proc, url } = await startSimulatorProcess(fixtureFile, ['--page-size', '1000']);
  const logger = silentLogger();
  const client = new ProtimeClient({ baseUrl: url, authUrl: url, tenant: 'bench', clientId: 'gw', clientSecret: () => 'secret', userAgent: 'ptgw-bench', logger });
  const db = openCache(join(dir, 'cache.sqlite'));
  const store = new ModelStore(db);
  const engine = new SyncEngine({ client, store, targets: [{ id: SV, levels: 3 }], logger, fullIntervalMs: 3_600_000, onIndex: () => undefined });
  try {
    let peakRss = process.memoryUsage().rss;
    const baseRss = peakRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    let t0 = performance.now();
    const full = await engine.run({ full: true });
    const fullMs = performance.now() - t0;
    clearInterval(sampler);

    // Upstream changes `changes` definitions of level 3 (renamed through the write API).
    const level3 = (fixture.definitions ?? []).filter((d) => d.level === 3).slice(0, changes);
    const tokenRes = await fetch(`${url}/tenants/bench/connect/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=gw&client_secret=secret' });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    for (const d of level3) {
      const res = await fetch(`${url}/connector/protimeapi/api/v1/activity-structure-versions/${SV}/levels/3/activity-definitions/${d.id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: { default: `${d.name.default} v2` }, dataEntryCode: d.dataEntryCode, parent: d.parent }),
      });
      if (res.status !== 200) throw new Error(`bench setup: PUT answered ${res.status}`);
    }
    const { result: incremental, ms: incrementalMs, stallMs: incrementalStallMs } = await withStall(() => engine.run());
    // The hourly full sync, with nothing new upstream: what it costs the terminals every hour.
    const { result: hourly, ms: hourlyMs, stallMs: hourlyStallMs } = await withStall(() => engine.run({ full: true }));

    // Without delta, each incremental sync lists every level and compares changeVersions: its fixed cost.
    const listingEngine = new SyncEngine({ client, store, targets: [{ id: SV, levels: 3 }], logger, fullIntervalMs: 3_600_000, useDelta: false, onIndex: () => undefined });
    db.prepare("UPDATE sync_cursors SET value = NULL WHERE collection LIKE 'definitions:%'").run();
    t0 = performance.now();
    const listing = await listingEngine.run();
    const listingMs = performance.now() - t0;

    const colds: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      const fresh = openCache(join(dir, 'cache.sqlite'));
      const index = CodeIndex.build(new ModelStore(fresh).loadSnapshot());
      colds.push(performance.now() - t);
      if (index.stats.definitions !== size) throw new Error('cold start lost definitions');
      fresh.close();
    }
    colds.sort((a, b) => a - b);
    const coldMs = colds[1] as number;
    const label = `${size.toLocaleString('en-US')} definitions`;
    return {
      tables: [
        {
          title: `Sync from the simulator (separate process, pages of 1000), ${label}`,
          rows: [
            { run: 'full sync', 'ms': Math.round(fullMs), 'longest loop stall ms': '', written: full.definitionsWritten, 'peak RSS MiB': Math.round(peakRss / 1048576), 'RSS growth MiB': Math.round((peakRss - baseRss) / 1048576) },
            { run: `incremental, ${changes} changes (delta)`, 'ms': Math.round(incrementalMs), 'longest loop stall ms': Math.round(incrementalStallMs), written: incremental.definitionsWritten, 'peak RSS MiB': '', 'RSS growth MiB': '' },
            { run: 'full sync again, nothing new (hourly)', 'ms': Math.round(hourlyMs), 'longest loop stall ms': Math.round(hourlyStallMs), written: hourly.definitionsWritten, 'peak RSS MiB': '', 'RSS growth MiB': '' },
            { run: 'incremental by full listing, nothing new', 'ms': Math.round(listingMs), 'longest loop stall ms': '', written: listing.definitionsWritten, 'peak RSS MiB': '', 'RSS growth MiB': '' },
            { run: 'cold start: cache → ready index', 'ms': Math.round(coldMs), 'longest loop stall ms': '', written: '', 'peak RSS MiB': '', 'RSS growth MiB': '' },
          ],
        },
      ],
      targets: [
        { name: `full sync of ${label} < 20 s`, measured: `${(fullMs / 1000).toFixed(1)} s`, pass: fullMs < 20_000 },
        { name: `incremental sync of ${changes} changes < 0.5 s`, measured: `${Math.round(incrementalMs)} ms`, pass: incrementalMs < 500 },
        { name: `cold start from a ${label} cache < 1.5 s`, measured: `${Math.round(coldMs)} ms`, pass: coldMs < 1500 },
      ],
      data: { size, changes, fullMs, peakRss, incrementalMs, incrementalStallMs, hourlyMs, hourlyStallMs, hourly, listingMs, coldMs, full, incremental, listing },
    };
  } finally {
    await engine.stop();
    await client.close();
    db.close();
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
