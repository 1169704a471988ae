import type { HttpDeps } from './HttpDeps.js';

export interface StatusJson {
  version: string;
  uptimeSeconds: number;
  sync: { state: string; lastSuccessAt: string | null; lastError: { code: string; message: string; at: string } | null; upstreamReachable: boolean | null; cacheAgeSeconds: number | null; clockOffsetSeconds: number | null };
  cache: { definitions: number; usages: number; restrictions: number; people: number };
  devices: { id: string; transport: string; connected: boolean; lastFrameAt: string | null; errors: number; lastError: string | null }[];
  terminals: { id: string; state: string; accepted: number; rejected: number; rejectReasons: Record<string, number>; lastDecision: { at: string; reason: string; badge: string; code: string; name: string } | null }[];
  outbox: { pending: number; oldestPendingAt: string | null; delivered: number; failed: number };
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const seconds = (ms: number | undefined): number | null => (ms === undefined ? null : Math.round(ms / 1000));

export function cacheAgeSeconds(deps: Pick<HttpDeps, 'index' | 'now'>): number | undefined {
  const at = deps.index().syncedAt;
  return at === undefined ? undefined : Math.max(0, Math.round((deps.now() - at) / 1000));
}

/** GET /api/status, as DESIGN.md lists it. Badges are already masked by the terminal sessions. */
export function statusJson(deps: HttpDeps): StatusJson {
  const sync = deps.sync?.status;
  const outbox = deps.outbox.stats();
  return {
    version: deps.version,
    uptimeSeconds: Math.round((deps.now() - deps.startedAt) / 1000),
    sync: {
      state: sync?.state ?? 'off',
      lastSuccessAt: iso(sync?.lastSuccessAt ?? deps.index().syncedAt),
      lastError: sync?.lastError === undefined ? null : { code: sync.lastError.code, message: sync.lastError.message, at: iso(sync.lastError.at) as string },
      upstreamReachable: sync?.upstreamReachable ?? null,
      cacheAgeSeconds: cacheAgeSeconds(deps) ?? null,
      clockOffsetSeconds: seconds(deps.clockOffsetMs?.()),
    },
    cache: { ...deps.index().stats },
    devices: deps.devices().map((d) => ({ id: d.id, transport: d.transport, connected: d.connected, lastFrameAt: iso(d.lastFrameAt), errors: d.errors, lastError: d.lastError ?? null })),
    terminals: deps.terminals().map((t) => ({
      id: t.id,
      state: t.state,
      accepted: t.accepted,
      rejected: t.rejected,
      rejectReasons: { ...t.rejectReasons },
      lastDecision: t.lastDecision === undefined ? null : { ...t.lastDecision, at: iso(t.lastDecision.at) as string },
    })),
    outbox: { pending: outbox.pending, oldestPendingAt: iso(outbox.oldestPendingAt), delivered: outbox.delivered, failed: outbox.failed },
  };
}
