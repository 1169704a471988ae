import type { FastifyInstance } from 'fastify';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type HttpLimits } from '../../../src/http/buildApp.js';
import { httpDeps } from '../../support/httpDeps.js';
import { useTempDir } from '../../support/tempDir.js';
import { waitFor } from '../../support/waitFor.js';

const tempDir = useTempDir();
let app: FastifyInstance | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
  app = undefined;
});

/** A gateway with the daemon's limits shortened, so a test sees them act without waiting half a minute. */
async function serve(limits: Partial<HttpLimits>): Promise<number> {
  app = buildApp(httpDeps(tempDir(), { adminToken: () => 'admin-secret' }), { limits });
  return Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port);
}

/** A raw client that sends `text` and nothing more; `closed` turns true once the server hangs up. */
async function stalled(port: number, text: string): Promise<{ closed: () => boolean; received: () => string }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let closed = false;
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(text);
  return { closed: () => closed, received: () => received };
}

const BODY_PROMISED = 'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"id":';

describe('clients on the LAN that never finish a request', () => {
  it('are cut off: unfinished headers, and bodies that never arrive on open, unknown and admin routes', async () => {
    const port = await serve({ requestTimeoutMs: 300, checkIntervalMs: 50 });
    const clients = [
      await stalled(port, 'GET /api/status HTTP/1.1\r\nHost: gw\r\n'),
      await stalled(port, `POST /api/sync HTTP/1.1\r\nHost: gw\r\n${BODY_PROMISED}`),
      await stalled(port, `POST /no/such/route HTTP/1.1\r\nHost: gw\r\n${BODY_PROMISED}`),
      await stalled(port, `GET /api/status HTTP/1.1\r\nHost: gw\r\n${BODY_PROMISED}`),
      await stalled(port, `POST /api/outbox/retry HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer admin-secret\r\n${BODY_PROMISED}`),
    ];
    await waitFor(() => expect(clients.map((c) => c.closed())).toEqual([true, true, true, true, true]), { timeoutMs: 8000 });
    // The unauthenticated one was told no before it was cut off; its body was never waited for as a request.
    expect(clients[1]?.received()).toMatch(/^HTTP\/1\.1 401 /);
    // The gateway answers the next client as usual.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('hold at most the connection cap; the ones beyond it are closed at once, and a freed slot serves again', async () => {
    const port = await serve({ maxConnections: 3 });
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await stalled(port, 'GET /api/status HTTP/1.1\r\nHost: gw\r\n'));
    const extra = await stalled(port, 'GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n');
    await waitFor(() => expect(extra.closed()).toBe(true));
    expect(extra.received()).toBe('');
    expect(held.map((c) => c.closed())).toEqual([false, false, false]);
    for (const s of sockets.splice(0)) s.destroy();
    await waitFor(async () => expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200));
  });

  it('are bounded by the daemon defaults too: a request must arrive whole within seconds, and connections are capped', () => {
    app = buildApp(httpDeps(tempDir()));
    expect(app.server.requestTimeout).toBeGreaterThan(0);
    expect(app.server.requestTimeout).toBeLessThanOrEqual(60_000);
    expect(app.server.headersTimeout).toBeLessThanOrEqual(app.server.requestTimeout);
    expect(app.server.maxConnections).toBeGreaterThan(0);
  });
});
