import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/waitFor.js';
import { API, apiClient, closeSimulators, IDS, LEVEL, requestToken, SCOPE, send, startSeeded, tokenFor, walk } from '../../support/simulatorClient.js';

afterEach(closeSimulators);

const clocking = {
  person: { id: 1234 },
  date: '2025-03-04',
  timeOfDayInMinutes: 487,
  terminal: { id: 7 },
  kind: 'Activity',
  activityLevels: [{ level: 1, activityDefinition: { id: IDS.maintenance } }],
};

/** What a raw fetch ends in: a status and body text, or the error it failed with. */
async function attempt(url: string, init: RequestInit = {}): Promise<{ status?: number; text?: string; error?: Error }> {
  try {
    const res = await fetch(url, init);
    return { status: res.status, text: await res.text() };
  } catch (error) {
    return { error: error as Error };
  }
}

describe('injected faults', () => {
  it('delays an answer by the given latency', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    sim.faults.add({ kind: 'latency', ms: 150 });
    const started = performance.now();
    expect((await api('GET', LEVEL(1))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers a given status once, then recovers', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    sim.faults.add({ kind: 'status', status: 503 });
    const failed = await api('GET', LEVEL(1));
    expect(failed.status).toBe(503);
    expect(failed.body.status).toBe(503);
    expect((await api('GET', LEVEL(1))).status).toBe(200);
  });

  it('rate-limits with 429 and Retry-After', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 7 });
    const answer = await api('GET', LEVEL(1));
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
  });

  it('resets the connection without an answer', async () => {
    const sim = await startSeeded();
    const token = await tokenFor(sim);
    sim.faults.add({ kind: 'reset' });
    const result = await attempt(`${sim.url}${LEVEL(1)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(result.error).toBeInstanceOf(Error);
    expect(sim.requests().at(-1)).toMatchObject({ path: LEVEL(1), status: null, fault: 'reset' });
  });

  it('answers 200 with a body that is not JSON', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    sim.faults.add({ kind: 'malformed' });
    const answer = await api('GET', LEVEL(1));
    expect(answer.status).toBe(200);
    expect(typeof answer.body).toBe('string');
    expect(() => JSON.parse(answer.body)).toThrow();
  });

  it('truncates a body: full Content-Length, half sent, connection closed', async () => {
    const sim = await startSeeded();
    const token = await tokenFor(sim);
    sim.faults.add({ kind: 'truncated' });
    const res = await fetch(`${sim.url}${LEVEL(3)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(100);
    await expect(res.text()).rejects.toThrow();
  });

  it('answers one list page empty with a nextLink to the same page', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    sim.faults.add({ kind: 'empty-page', match: { path: '/levels/1/' } });
    const first = await api('GET', `${LEVEL(1)}?expand=usage`);
    expect(first.body).toEqual({ value: [], nextLink: `${LEVEL(1)}?expand=usage` });
    const pages = await walk(api, first.body.nextLink);
    expect(pages[0].value).toHaveLength(2);
  });

  it('leaves answers that are not lists alone on an empty-page fault', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    sim.faults.add({ kind: 'empty-page' });
    expect((await api('GET', `${LEVEL(1)}/${IDS.maintenance}`)).body.id).toBe(IDS.maintenance);
    expect((await api('GET', LEVEL(1))).body.value).toEqual([]);
  });

  it('hangs without answering until the simulator closes', async () => {
    const sim = await startSeeded();
    const token = await tokenFor(sim);
    sim.faults.add({ kind: 'hang' });
    const result = await attempt(`${sim.url}${LEVEL(1)}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(200) });
    expect(result.error?.name).toBe('TimeoutError');
    const pending = fetch(`${sim.url}${LEVEL(1)}`, { headers: { authorization: `Bearer ${token}` } }).catch((e: Error) => e);
    sim.faults.add({ kind: 'hang' });
    await waitFor(() => expect(sim.requests().filter((r) => r.fault === 'hang' && r.status === null)).toHaveLength(2));
    // close() must not wait for the hanging answer: it destroys the connection, and the client sees an error.
    await sim.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('stores a clocking and then drops the connection: the ambiguous outcome', async () => {
    const sim = await startSeeded();
    const token = await tokenFor(sim);
    sim.faults.add({ kind: 'after-store-reset', match: { method: 'POST', path: '/clockings' } });
    const result = await attempt(`${sim.url}${API}/clockings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(clocking),
    });
    expect(result.error).toBeInstanceOf(Error);
    expect(sim.clockings()).toHaveLength(1);
    const check = await send(sim, 'GET', `${API}/clockings?filter=person in (1234) and date ge '2025-03-04' and date le '2025-03-04'`, { token });
    expect(check.body.value).toHaveLength(1);
  });

  it('hits only requests matching method and path, as many times as asked', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    sim.faults.add({ kind: 'status', status: 500, times: 2, match: { method: 'get', path: 'levels/2' } });
    expect((await api('GET', LEVEL(1))).status).toBe(200);
    expect((await api('PUT', `${LEVEL(2)}/${IDS.order200}`, { name: { default: 'O' }, dataEntryCode: '200', parent: { id: IDS.production } })).status).toBe(200);
    expect((await api('GET', LEVEL(2))).status).toBe(500);
    expect((await api('GET', LEVEL(2))).status).toBe(500);
    expect((await api('GET', LEVEL(2))).status).toBe(200);
  });

  it.each([-1, Infinity])('keeps hitting with times %s until cleared', async (times) => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    sim.faults.add({ kind: 'status', status: 502, times });
    for (let i = 0; i < 3; i++) expect((await api('GET', LEVEL(1))).status).toBe(502);
    sim.faults.clear();
    expect((await api('GET', LEVEL(1))).status).toBe(200);
  });

  it('spares the token endpoint unless the fault names its path', async () => {
    const sim = await startSeeded();
    sim.faults.add({ kind: 'status', status: 500 });
    const grant = { grant_type: 'client_credentials', client_id: 'gw', client_secret: 'secret', scope: SCOPE.definitionsRead };
    expect((await requestToken(sim, grant)).status).toBe(200);
    sim.faults.clear();
    sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 2, match: { path: '/connect/token' } });
    expect((await requestToken(sim, grant)).status).toBe(429);
  });

  it('never touches the control endpoints or the root clockings view', async () => {
    const sim = await startSeeded();
    sim.faults.add({ kind: 'status', status: 500, times: -1, match: { path: '/' } });
    expect((await send(sim, 'GET', '/clockings')).status).toBe(200);
    expect((await send(sim, 'GET', '/__sim/requests')).status).toBe(200);
  });

  it('refuses a fault it cannot read', async () => {
    const sim = await startSeeded();
    expect(() => sim.faults.add({ kind: 'status', status: 200 })).toThrow(/status/);
    expect(() => sim.faults.add({ kind: 'latency' } as never)).toThrow(/ms/);
    expect(() => sim.faults.add({ kind: 'reset', times: 0 })).toThrow(/times/);
    expect(() => sim.faults.add({ kind: 'reset', times: 1.5 })).toThrow(/times/);
  });
});

describe('simulator controls over HTTP', () => {
  it('adds and clears faults', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    const added = await send(sim, 'POST', '/__sim/faults', { json: { kind: 'status', status: 503, times: -1, match: { path: '/people' } } });
    expect(added.status).toBe(201);
    expect((await api('GET', `${API}/people?filter=id eq 1234`)).status).toBe(503);
    expect((await send(sim, 'DELETE', '/__sim/faults')).status).toBe(204);
    expect((await api('GET', `${API}/people?filter=id eq 1234`)).status).toBe(200);
  });

  it('answers 400 for an invalid fault', async () => {
    const sim = await startSeeded();
    const answer = await send(sim, 'POST', '/__sim/faults', { json: { kind: 'explode' } });
    expect(answer.status).toBe(400);
    expect((await send(sim, 'POST', '/__sim/faults', { raw: 'nope' })).status).toBe(400);
  });

  it('expires tokens and deltas', async () => {
    const sim = await startSeeded();
    const token = await tokenFor(sim);
    const list = await send(sim, 'GET', `${LEVEL(1)}?delta`, { token });
    expect((await send(sim, 'POST', '/__sim/expire-deltas')).status).toBe(204);
    expect((await send(sim, 'GET', list.body.deltaLink, { token })).status).toBe(410);
    expect((await send(sim, 'POST', '/__sim/expire-tokens')).status).toBe(204);
    expect((await send(sim, 'GET', LEVEL(1), { token })).status).toBe(401);
  });

  it('lists the requests received with their statuses', async () => {
    const sim = await startSeeded();
    const api = await apiClient(sim);
    await api('GET', `${LEVEL(1)}?expand=usage`);
    await api('GET', LEVEL(9));
    const log = await send(sim, 'GET', '/__sim/requests');
    expect(log.body.value).toEqual([
      { method: 'POST', path: '/tenants/demo/connect/token', status: 200 },
      { method: 'GET', path: `${LEVEL(1)}?expand=usage`, status: 200 },
      { method: 'GET', path: LEVEL(9), status: 400 },
      { method: 'GET', path: '/__sim/requests', status: null },
    ]);
    expect(sim.requests().at(-1)).toEqual({ method: 'GET', path: '/__sim/requests', status: 200 });
  });

  it('answers 404 for an unknown control', async () => {
    const sim = await startSeeded();
    expect((await send(sim, 'POST', '/__sim/explode')).status).toBe(404);
  });
});
