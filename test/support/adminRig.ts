import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { Gateway } from '../../src/app/Gateway.js';
import { loadConfig } from '../../src/app/config/loadConfig.js';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startProxy, type Rewrite } from './rewritingProxy.js';
import { silentLogger } from './silentLogger.js';

export const SEEDS_FIXTURE = fileURLToPath(new URL('../fixtures/simulator/seeds.json', import.meta.url));
export const SEED_SV = 'b2347a7a-d60d-446f-b03b-7es2cc8c3281';
export const ADMIN_TOKEN = 'test-admin-token';

export interface AdminRig {
  sim: Simulator;
  gateway: Gateway;
  /** The gateway's HTTP base URL. */
  url: string;
  /** Sends to the gateway's admin API with the token; `path` is Protime's path below /api/v1. */
  admin: (method: string, path: string, body?: string) => Promise<{ status: number; body: any; headers: Headers }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  config: string;
  /** The gateway's log lines, at debug level. */
  logs: string[];
  close: () => Promise<void>;
}

/**
 * The gateway (listening on a free port, admin token set) against the simulator with the seed
 * fixture, synced; with `rewrite`, through a proxy that can change the simulator's answers.
 */
export async function adminRig(dir: string, options: { manualCodes?: boolean; rewrite?: Rewrite; clientSecret?: string } = {}): Promise<AdminRig> {
  const fixture = loadFixture(SEEDS_FIXTURE);
  const client = fixture.clients.find((c) => c.clientId === 'gw');
  if (client === undefined) throw new Error('the seed fixture has no client gw');
  if (options.clientSecret !== undefined) client.clientSecret = options.clientSecret;
  const sim = await startSimulator({ fixture });
  const proxy = options.rewrite === undefined ? undefined : await startProxy(sim.url, options.rewrite);
  writeFileSync(join(dir, 'client-secret'), `${client.clientSecret}\n`);
  writeFileSync(join(dir, 'admin-token'), `${ADMIN_TOKEN}\n`);
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    stringify({
      site: { timeZone: 'Europe/Brussels' },
      protime: {
        tenant: fixture.tenant,
        baseUrl: proxy?.url ?? sim.url,
        clientId: 'gw',
        clientSecretFile: 'client-secret',
        structureVersions: [{ id: SEED_SV, levels: 3 }],
        ...(options.manualCodes === false ? {} : { dataEntryCodes: 'manual' }),
      },
      cache: { path: 'cache.sqlite' },
      http: { listen: '127.0.0.1:0', adminTokenFile: 'admin-token' },
    }),
  );
  const logs: string[] = [];
  const gateway = new Gateway({ config: loadConfig({ path: config, env: {} }), logger: silentLogger(logs) });
  const url = (await gateway.start()) as string;
  await gateway.sync.run({ full: true });
  const admin = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${url}/api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
  };
  return {
    sim,
    gateway,
    url,
    admin,
    config,
    logs,
    close: async () => {
      await gateway.stop();
      await proxy?.close();
      await sim.close();
    },
  };
}

/** For a test file whose tests build on each other: one rig (and folder) for the whole file. */
export function useSharedAdminRig(): () => AdminRig {
  const dir = mkdtempSync(join(tmpdir(), 'ptgw-admin-'));
  let rig: AdminRig | undefined;
  beforeAll(async () => {
    rig = await adminRig(dir);
  });
  afterAll(async () => {
    await rig?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (rig === undefined) throw new Error('the admin rig starts in beforeAll');
    return rig;
  };
}
