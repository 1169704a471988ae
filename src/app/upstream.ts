import type { Logger } from 'pino';
import type { ModelStore } from '../cache/ModelStore.js';
import type { CodeIndex } from '../core/codeIndex.js';
import { ProtimeClient } from '../protime/ProtimeClient.js';
import { SyncEngine, type SyncEngineOptions, type SyncTarget } from '../protime/SyncEngine.js';
import type { Config } from './config/loadConfig.js';
import { USER_AGENT } from './version.js';

/** `now`: the clock tokens expire by and the clock offset is measured against (the gateway's own). */
export function createClient(config: Config, logger: Logger, now: () => number = Date.now): ProtimeClient {
  const p = config.protime;
  return new ProtimeClient({
    baseUrl: p.baseUrl,
    authUrl: p.authUrl,
    tenant: p.tenant,
    clientId: p.clientId,
    clientSecret: () => p.clientSecret.reveal(),
    userAgent: p.userAgent ?? USER_AGENT,
    logger,
    now,
    proxy: p.proxy === undefined ? undefined : { url: p.proxy.url, user: p.proxy.user, password: () => p.proxy?.password?.reveal() ?? '' },
  });
}

/** Structure versions to sync; without a configured level count, the deepest level a terminal collects is not enough (restrictions may point lower), so levels are probed. */
export function syncTargets(config: Config): SyncTarget[] {
  return config.protime.structureVersions.map((sv) => ({ id: sv.id, levels: sv.levels }));
}

export function createSyncEngine(
  config: Config,
  deps: { client: ProtimeClient; store: ModelStore; logger: Logger; onIndex: (index: CodeIndex) => void; onRun?: SyncEngineOptions['onRun'] },
): SyncEngine {
  return new SyncEngine({
    client: deps.client,
    store: deps.store,
    targets: syncTargets(config),
    logger: deps.logger,
    fullIntervalMs: config.sync.fullIntervalSeconds * 1000,
    useDelta: config.protime.useDelta,
    onIndex: deps.onIndex,
    ...(deps.onRun === undefined ? {} : { onRun: deps.onRun }),
  });
}
