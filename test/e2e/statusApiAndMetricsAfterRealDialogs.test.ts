import { describe, expect, it } from 'vitest';
import { useGatewayRig } from '../support/gatewayRig.js';
import { waitFor } from '../support/waitFor.js';

const startRig = useGatewayRig();

describe('/api/status and /metrics after dialogs on a pty terminal', () => {
  it('count accepts, rejects by reason, the outbox and the device', async () => {
    const rig = await startRig();
    const url = await rig.gateway.app.listen({ host: '127.0.0.1', port: 0 });
    const t = rig.terminal();
    await t.exchange('B0001234');
    await t.exchange('K1');
    await t.exchange('K100');
    await t.exchange('K26');
    await t.exchange('B9999999');
    await t.exchange('B0001234');
    await t.exchange('K9');
    await waitFor(() => expect(rig.gateway.outbox.stats().delivered).toBe(1));

    const status = (await (await fetch(`${url}/api/status`)).json()) as {
      terminals: { id: string; accepted: number; rejected: number; rejectReasons: Record<string, number>; lastDecision: { reason: string; badge: string } }[];
      devices: { id: string; connected: boolean; transport: string }[];
      outbox: { pending: number; delivered: number; failed: number };
      sync: { state: string; cacheAgeSeconds: number };
      cache: { definitions: number };
    };
    expect(status.terminals[0]).toMatchObject({ id: 'T7', accepted: 1, rejected: 2, rejectReasons: { UNKNOWN_BADGE: 1, UNKNOWN_CODE: 1 }, lastDecision: { reason: 'UNKNOWN_CODE', badge: '***1234' } });
    expect(status.devices[0]).toMatchObject({ id: 'kp1', connected: true, transport: 'serial' });
    expect(status.outbox).toEqual({ pending: 0, oldestPendingAt: null, delivered: 1, failed: 0 });
    expect(status.sync.state).toBe('ok');
    expect(status.cache.definitions).toBe(31);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('ptgw_decisions_total{reason="ACCEPTED"} 1');
    expect(metrics).toContain('ptgw_decisions_total{reason="UNKNOWN_BADGE"} 1');
    expect(metrics).toContain('ptgw_decisions_total{reason="UNKNOWN_CODE"} 1');
    expect(metrics).toContain('ptgw_device_connected{device="kp1"} 1');
    expect(metrics).toContain('ptgw_outbox_pending 0');
    expect(metrics).toMatch(/ptgw_decision_duration_seconds_count 3/);
    expect(metrics).toMatch(/ptgw_cache_age_seconds \d/);
    expect(metrics).toMatch(/ptgw_sync_duration_seconds_count\{kind="(full|incremental)"\} [1-9]/);
  });
});
