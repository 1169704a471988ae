import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { ModelStore } from '../../src/cache/ModelStore.js';
import { openCache } from '../../src/cache/openCache.js';
import type { CodeIndex } from '../../src/core/codeIndex.js';
import { ProtimeClient, type ClientOptions } from '../../src/protime/ProtimeClient.js';
import { SyncEngine, type SyncTarget } from '../../src/protime/SyncEngine.js';
import { loadFixture, startSimulator, type Fixture, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { startProxy, type Rewrite } from './rewritingProxy.js';
import { silentLogger } from './silentLogger.js';

export const DEMO_FIXTURE = fileURLToPath(new URL('../../demo/demo-tenant.json', import.meta.url));
export const DEMO_SV = 'b2347a7a-d60d-446f-b03b-7es2cc8c3281';

export interface SyncRig {
  sim: Simulator;
  db: Database;
  store: ModelStore;
  client: ProtimeClient;
  engine: SyncEngine;
  /** The last index the engine handed over. */
  index: () => CodeIndex | undefined;
  logs: string[];
  close: () => Promise<void>;
}

/** A simulator with the demo tenant, a real cache file and a sync engine against it over HTTP. */
export async function syncRig(
  dir: string,
  options: {
    sim?: Omit<SimulatorOptions, 'fixture'>;
    edit?: (f: Fixture) => void;
    secret?: string;
    levels?: number | undefined;
    targets?: SyncTarget[];
    now?: () => number;
    proxy?: ClientOptions['proxy'];
    /** Answers rewritten on their way from the simulator: for shapes the simulator never gives. */
    rewrite?: Rewrite;
  } = {},
): Promise<SyncRig> {
  const fixture = loadFixture(DEMO_FIXTURE);
  options.edit?.(fixture);
  const sim = await startSimulator({ fixture, ...options.sim });
  const rewriting = options.rewrite === undefined ? undefined : await startProxy(sim.url, options.rewrite);
  const upstream = rewriting?.url ?? sim.url;
  const db = openCache(join(dir, 'cache.sqlite'));
  const store = new ModelStore(db);
  const logs: string[] = [];
  const logger = silentLogger(logs);
  const client = new ProtimeClient({
    baseUrl: upstream,
    authUrl: upstream,
    tenant: fixture.tenant,
    clientId: 'gw',
    clientSecret: () => options.secret ?? 'demo-secret',
    userAgent: 'ptgw-test/1.0 (tests)',
    logger,
    backoff: { baseMs: 5, maxMs: 50 },
    maxAttempts: 4,
    proxy: options.proxy,
  });
  let latest: CodeIndex | undefined;
  const engine = new SyncEngine({
    client,
    store,
    targets: options.targets ?? [{ id: DEMO_SV, levels: 'levels' in options ? options.levels : 3 }],
    logger,
    fullIntervalMs: 3_600_000,
    ...(options.now === undefined ? {} : { now: options.now }),
    onIndex: (i) => (latest = i),
  });
  return {
    sim,
    db,
    store,
    client,
    engine,
    index: () => latest,
    logs,
    close: async () => {
      await engine.stop();
      await client.close();
      db.close();
      await rewriting?.close();
      await sim.close();
    },
  };
}
