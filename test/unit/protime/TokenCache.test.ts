import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { PtgwError } from '../../../src/core/errors.js';
import { TokenCache } from '../../../src/protime/TokenCache.js';

type Answer = (req: IncomingMessage, res: ServerResponse) => void;

const ok: Answer = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ access_token: 'tok', expires_in: 3600 }));
};

let server: Server | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = agent = undefined;
});

/** A real token endpoint answering with `answers` in turn (the last one again after that). */
async function tokenEndpoint(answers: Answer[], delayMs = 0): Promise<{ cache: TokenCache; requests: () => number; mostAtOnce: () => number }> {
  let requests = 0;
  let open = 0;
  let mostAtOnce = 0;
  server = createServer((req, res) => {
    const answer = answers[Math.min(requests++, answers.length - 1)] as Answer;
    mostAtOnce = Math.max(mostAtOnce, ++open);
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        open--;
        answer(req, res);
      }, delayMs),
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  agent = new Agent();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/connect/token`;
  const cache = new TokenCache({ url, clientId: 'gw', clientSecret: () => 's', userAgent: 't/1', dispatcher: agent, now: Date.now });
  return { cache, requests: () => requests, mostAtOnce: () => mostAtOnce };
}

async function failure(p: Promise<unknown>): Promise<PtgwError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(PtgwError);
  return err as PtgwError;
}

describe('the token cache', () => {
  it('raises a 429 of the token endpoint as a rate limit with its Retry-After, keeps nothing of it, and asks again on the next call', async () => {
    const t = await tokenEndpoint([
      (_req, res) => {
        res.writeHead(429, { 'retry-after': '7' });
        res.end();
      },
      ok,
    ]);
    const err = await failure(t.cache.get('scope-a'));
    expect(err.code).toBe('SYNC_RATE_LIMITED');
    expect(err.retryAfterSeconds).toBe(7);
    expect(err.endpoint).toBe('token');
    expect(await t.cache.get('scope-a')).toBe('tok');
    expect(t.requests()).toBe(2);
  });

  it("marks the token endpoint's other failures as the token endpoint's, keeping their status", async () => {
    const t = await tokenEndpoint([
      (_req, res) => {
        res.writeHead(404);
        res.end();
      },
    ]);
    const err = await failure(t.cache.get('scope-a'));
    expect(err.code).toBe('SYNC_HTTP_STATUS');
    expect(err.status).toBe(404);
    expect(err.endpoint).toBe('token');
  });

  it('sends one token request at a time, shared by the callers of a scope and queued for other scopes', async () => {
    const t = await tokenEndpoint([ok], 100);
    const tokens = await Promise.all([t.cache.get('scope-a'), t.cache.get('scope-a'), t.cache.get('scope-b'), t.cache.get('scope-c')]);
    expect(tokens).toEqual(['tok', 'tok', 'tok', 'tok']);
    expect(t.requests()).toBe(3);
    expect(t.mostAtOnce()).toBe(1);
  });
});
