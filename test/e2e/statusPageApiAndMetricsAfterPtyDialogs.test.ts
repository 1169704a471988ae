import { describe, expect, it } from 'vitest';
import { useListeningGateway } from '../support/browser.js';
import { waitFor } from '../support/waitFor.js';

const startGateway = useListeningGateway();

interface Status {
  terminals: { id: string; state: string; accepted: number; rejected: number; rejectReasons: Record<string, number>; lastDecision: { at: string; reason: string; badge: string; code: string; name: string } | null }[];
  devices: { id: string; transport: string; connected: boolean; lastFrameAt: string | null; errors: number; lastError: string | null }[];
  outbox: { pending: number; oldestPendingAt: string | null; delivered: number; failed: number };
  sync: { state: string };
}

describe('/api/status and /metrics next to the status page, after dialogs on a pty terminal', () => {
  it('count accepts and rejects per terminal and reason, the outbox as Protime refuses and takes clockings, and the device', async () => {
    const { rig, url } = await startGateway();
    const status = async (): Promise<Status> => (await (await fetch(`${url}/api/status`)).json()) as Status;
    const metrics = async (): Promise<string> => (await fetch(`${url}/metrics`)).text();
    const t = rig.terminal();
    const accept = async (): Promise<void> => {
      await t.exchange('B0001234');
      await t.exchange('K1');
      await t.exchange('K100');
      expect(await t.exchange('K26')).toEqual(['APainting']);
    };
    const posts = (): { status: number | null }[] => rig.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/clockings'));

    // Protime is briefly unavailable for clockings: the accept waits in the outbox.
    rig.sim.faults.add({ kind: 'status', status: 503, match: { method: 'POST', path: '/clockings' }, times: -1 });
    await accept();
    await waitFor(() => expect(posts().some((p) => p.status === 503)).toBe(true));
    const waiting = await status();
    expect(waiting.outbox).toMatchObject({ pending: 1, delivered: 0, failed: 0 });
    expect(Date.parse(waiting.outbox.oldestPendingAt ?? '')).toBeLessThanOrEqual(Date.now());
    expect(await metrics()).toMatch(/^ptgw_outbox_pending 1$/m);
    expect(await metrics()).toMatch(/^ptgw_outbox_oldest_pending_age_seconds \d/m);

    // Three rejects on the same terminal.
    expect(await t.exchange('B9999999')).toEqual(['RUnknown badge']);
    await t.exchange('B0001234');
    await t.exchange('K2');
    await t.exchange('K200');
    expect(await t.exchange('K2004')).toEqual(['RNot allowed for you']);
    expect(await t.exchange('C', 2)).toEqual(['RCancelled', 'IPresent badge']);

    // Protime is back: the waiting clocking is delivered, once.
    rig.sim.faults.clear();
    await waitFor(async () => expect((await status()).outbox).toEqual({ pending: 0, oldestPendingAt: null, delivered: 1, failed: 0 }));
    expect(rig.sim.clockings()).toHaveLength(1);

    // Protime refuses the next one on its merits: it is failed, for an operator.
    rig.sim.faults.add({ kind: 'status', status: 422, match: { method: 'POST', path: '/clockings' } });
    await accept();
    await waitFor(async () => expect((await status()).outbox).toEqual({ pending: 0, oldestPendingAt: null, delivered: 1, failed: 1 }));

    const s = await status();
    expect(s.sync.state).toBe('ok');
    expect(s.terminals).toEqual([
      {
        id: 'T7',
        state: 'idle',
        accepted: 2,
        rejected: 3,
        rejectReasons: { UNKNOWN_BADGE: 1, NO_USAGE: 1, CANCELLED: 1 },
        lastDecision: { at: expect.any(String), reason: 'ACCEPTED', badge: '***1234', code: '26', name: 'Painting' },
      },
    ]);
    expect(JSON.stringify(s)).not.toContain('0001234');
    expect(JSON.stringify(s)).not.toContain('9999999');
    expect(s.devices).toEqual([{ id: 'kp1', transport: 'serial', connected: true, lastFrameAt: expect.any(String), errors: 0, lastError: null }]);

    const m = await metrics();
    const decisions = Object.fromEntries([...m.matchAll(/^ptgw_decisions_total\{reason="(\w+)"\} (\d+)$/gm)].map(([, reason, n]) => [reason, Number(n)]));
    expect(decisions).toEqual({
      ACCEPTED: 2,
      UNKNOWN_BADGE: 1,
      UNKNOWN_CODE: 0,
      NOT_YET_ACTIVE: 0,
      EXPIRED: 0,
      WRONG_PARENT: 0,
      RESTRICTED: 0,
      NO_USAGE: 1,
      CACHE_EMPTY: 0,
      TIMEOUT: 0,
      CANCELLED: 1,
      BAD_INPUT: 0,
      NOT_RECORDED: 0,
    });
    expect(m).toContain('ptgw_decisions_total{reason="ACCEPTED"} 2');
    expect(m).toMatch(/^ptgw_decision_duration_seconds_count 5$/m);
    // Both accepts were stored durably, each within two seconds.
    expect(m).toMatch(/^ptgw_outbox_store_duration_seconds_count 2$/m);
    expect(m).toMatch(/^ptgw_outbox_store_duration_seconds_bucket\{le="2"\} 2$/m);
    expect(m).toMatch(/^ptgw_device_connected\{device="kp1"\} 1$/m);
    expect(m).toMatch(/^ptgw_device_errors_total\{device="kp1"\} 0$/m);
    expect(m).toMatch(/^ptgw_outbox_pending 0$/m);
    expect(m).toMatch(/^ptgw_outbox_failed 1$/m);
    expect(m).toMatch(/^ptgw_outbox_oldest_pending_age_seconds 0$/m);
    expect(m).toMatch(/^ptgw_cache_age_seconds \d+$/m);

    // The page's live part says the same, the failed row in red.
    const fragment = await (await fetch(`${url}/status-fragment`)).text();
    expect(fragment).toContain('<td>T7</td><td>idle</td><td>2</td><td>3</td><td>UNKNOWN_BADGE 1, NO_USAGE 1, CANCELLED 1</td><td>ACCEPTED 26 Painting · badge ***1234 · ');
    expect(fragment).toContain('0 pending · 1 delivered · <span class="bad">1 failed</span>');
  });
});
