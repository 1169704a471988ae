import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/http/buildApp.js';
import { Metrics } from '../../../src/http/Metrics.js';
import { httpDeps } from '../../support/httpDeps.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function serve(overrides: Parameters<typeof httpDeps>[1] = {}): Promise<string> {
  const app = buildApp(httpDeps(tempDir(), overrides));
  apps.push(app);
  return app.listen({ host: '127.0.0.1', port: 0 });
}

describe('the HTTP API over a real socket', () => {
  it('answers health and readiness', async () => {
    const url = await serve();
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const loading = await serve({ ready: () => false });
    expect((await fetch(`${loading}/readyz`)).status).toBe(503);
  });

  it('explains a lookup like ptgw lookup --json', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/lookup?badge=0001234&codes=1,100,00026&date=2025-03-04`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { decision: string; steps: { decision: string; name?: string }[] };
    expect(body.decision).toBe('ACCEPTED');
    expect(body.steps.map((s) => s.name)).toEqual(['Maintenance', 'Order 100', 'Cleaning']);
    const wrong = (await (await fetch(`${url}/api/lookup?badge=0001234&codes=1,200&date=2025-03-04`)).json()) as { decision: string };
    expect(wrong.decision).toBe('WRONG_PARENT');
  });

  it('refuses a bad lookup with the field named', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/lookup?badge=0001234&codes=1&date=2025-02-30`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST', field: 'date' } });
    expect(((await (await fetch(`${url}/api/lookup?codes=1`)).json()) as { error: { field: string } }).error.field).toBe('badge');
  });

  it('refuses lookup levels that a terminal could not have (repeated, or going back up), naming levels', async () => {
    const url = await serve();
    for (const levels of ['1,1', '2,1']) {
      const res = await fetch(`${url}/api/lookup?badge=0001234&codes=1,100&levels=${levels}&date=2025-03-04`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe('levels');
    }
  });

  it('refuses a lookup with an empty code in the list (a stray comma) instead of deciding it', async () => {
    const url = await serve();
    for (const codes of ['1,100,', '1,,100', ',']) {
      const res = await fetch(`${url}/api/lookup?badge=0001234&codes=${codes}&date=2025-03-04`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST', field: 'codes' } });
    }
  });

  it('reports status with the DESIGN.md fields', async () => {
    const url = await serve();
    const s = (await (await fetch(`${url}/api/status`)).json()) as Record<string, unknown>;
    expect(Object.keys(s).sort()).toEqual(['cache', 'devices', 'outbox', 'sync', 'terminals', 'uptimeSeconds', 'version']);
    expect(s.cache).toEqual({ definitions: 9, usages: 10, restrictions: 2, people: 5 });
    expect(s.outbox).toEqual({ pending: 0, oldestPendingAt: null, delivered: 0, failed: 0 });
    // DESIGN.md's, and the clock offset from Protime (null here: no Protime answered).
    expect(Object.keys(s.sync as object).sort()).toEqual(['cacheAgeSeconds', 'clockOffsetSeconds', 'lastError', 'lastSuccessAt', 'state', 'upstreamReachable']);
    expect((s.sync as { clockOffsetSeconds: unknown }).clockOffsetSeconds).toBeNull();
  });

  it('serves Prometheus metrics', async () => {
    const url = await serve();
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('ptgw_decisions_total{reason="ACCEPTED"} 0');
    expect(text).toContain('ptgw_outbox_pending 0');
    expect(text).toContain('ptgw_cache_age_seconds');
  });

  it('exposes the per-device error count as a Prometheus counter', async () => {
    const devices = [{ id: 'kp1', connected: true, errors: 3 }];
    const metrics = new Metrics({ cacheAgeSeconds: () => undefined, outbox: () => ({ pending: 0, oldestPendingAt: undefined, failed: 0 }), devices: () => devices, now: Date.now });
    const url = await serve({ metrics });
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/^# TYPE ptgw_device_errors_total counter$/m);
    expect(text).toMatch(/^ptgw_device_errors_total\{device="kp1"\} 3$/m);
  });

  describe('admin endpoints', () => {
    it('are off without a configured token', async () => {
      const url = await serve();
      const res = await fetch(`${url}/api/outbox/retry`, { method: 'POST' });
      expect(res.status).toBe(403);
    });

    it('refuse a missing or wrong token and accept the right one', async () => {
      let woken = 0;
      const url = await serve({ adminToken: () => 'let-me-in', onOutboxRetry: () => void woken++ });
      expect((await fetch(`${url}/api/outbox/retry`, { method: 'POST' })).status).toBe(401);
      expect((await fetch(`${url}/api/outbox/retry`, { method: 'POST', headers: { authorization: 'Bearer let-me-out' } })).status).toBe(401);
      const ok = await fetch(`${url}/api/outbox/retry`, { method: 'POST', headers: { authorization: 'Bearer let-me-in' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ retried: 0 });
      expect(woken).toBe(1);
    });

    it('refuse bad JSON with a message', async () => {
      const url = await serve({ adminToken: () => 't' });
      const res = await fetch(`${url}/api/outbox/retry`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{nope' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST', field: '(body)' } });
    });

    it('refuse a retry body that is JSON but no object, instead of retrying every failed row', async () => {
      let woken = 0;
      const url = await serve({ adminToken: () => 't', onOutboxRetry: () => void woken++ });
      for (const body of ['"abc"', 'null', '["id"]', '42']) {
        const res = await fetch(`${url}/api/outbox/retry`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: { field: 'id' } });
      }
      expect(woken).toBe(0);
    });

    it('refuse a retry body with an unknown field, naming it, instead of retrying every failed row', async () => {
      let woken = 0;
      const deps = httpDeps(tempDir(), { adminToken: () => 't', onOutboxRetry: () => void woken++ });
      const app = buildApp(deps);
      apps.push(app);
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const row = await deps.outbox.add({ terminalId: 'T7', badge: '1', personId: 1, structureVersion: 'sv', date: 0, minuteOfDay: 1, at: 1, levels: [] }, { id: 7 });
      await deps.outbox.markFailed(row.id, 'refused');
      const res = await fetch(`${url}/api/outbox/retry`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: JSON.stringify({ Id: row.id }) });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST', field: 'Id' } });
      expect(deps.outbox.get(row.id)?.state).toBe('failed');
      expect(woken).toBe(0);
    });

    it('say so when no upstream is configured for a manual sync', async () => {
      const url = await serve({ adminToken: () => 't' });
      expect((await fetch(`${url}/api/sync`, { method: 'POST', headers: { authorization: 'Bearer t' } })).status).toBe(409);
    });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const url = await serve();
    const res = await fetch(`${url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('repeated query parameters', () => {
  it('are refused with 400 naming the field, on the API and the page alike', async () => {
    const url = await serve();
    const api = await fetch(`${url}/api/lookup?badge=0001234&codes=1&codes=2`);
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ error: { code: 'BAD_REQUEST', field: 'codes' } });
    const page = await fetch(`${url}/?badge=1&badge=2&codes=1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('badge was given more than once');
  });
});
