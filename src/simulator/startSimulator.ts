import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DeltaSessions } from './DeltaSessions.js';
import { FaultList, type ActiveFault } from './FaultList.js';
import type { Fixture } from './fixtureSchema.js';
import { API_BASE } from './paging.js';
import { PeopleList } from './peopleList.js';
import { badRequest, ProblemError, problemBody, type SimResponse } from './ProblemError.js';
import { RequestLog, type RequestLogEntry } from './RequestLog.js';
import { routeApi } from './routeApi.js';
import { routeSimControl } from './routeSimControl.js';
import type { ApiRequest, SimContext } from './SimContext.js';
import { SimStore, type StoredClocking } from './SimStore.js';
import { TokenIssuer } from './TokenIssuer.js';

export interface SimulatorOptions {
  fixture: Fixture;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  pageSize?: number;
  tokenLifetimeSeconds?: number;
  /** Milliseconds clock for token and delta expiry. */
  now?: () => number;
}

export interface Simulator {
  /** `http://host:port`: both the API host base and the auth base. */
  url: string;
  port: number;
  faults: FaultList;
  store: SimStore;
  clockings(): StoredClocking[];
  requests(): RequestLogEntry[];
  expireTokens(): void;
  expireDeltas(): void;
  /** Stops listening and destroys every open (keep-alive or hanging) connection. */
  close(): Promise<void>;
}

/** Upstream answers longer request targets with 414. */
const MAX_URI = 8192;
const MAX_BODY = 10 * 1024 * 1024;
const TOKEN_PATH = /^\/tenants\/([^/]+)\/connect\/token$/;

/** Serves the fixture's tenant over real HTTP with Protime's paths, paging, delta, OAuth and errors. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const now = options.now ?? Date.now;
  const store = new SimStore(options.fixture);
  const tokens = new TokenIssuer(options.fixture, options.tokenLifetimeSeconds ?? 1800, now);
  const deltas = new DeltaSessions(now);
  const ctx: SimContext = { fixture: options.fixture, store, tokens, deltas, pageSize: options.pageSize ?? 100, now };
  const faults = new FaultList();
  const log = new RequestLog();
  const people = new PeopleList();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const answer = (req: IncomingMessage, body: string, pathname: string, rawQuery: string): SimResponse => {
    const method = req.method ?? 'GET';
    if (pathname.startsWith('/__sim/')) return routeSimControl({ faults, tokens, deltas, log }, method, pathname, body);
    const token = TOKEN_PATH.exec(pathname);
    if (token !== null) {
      if (method !== 'POST') throw new ProblemError(405, 'The token endpoint takes POST.', undefined, { allow: 'POST' });
      return tokens.issue(decodeURIComponent(token[1]!), new URLSearchParams(body));
    }
    // The test/demo view of everything received: not part of the API, no token needed.
    if (pathname === '/clockings' && method === 'GET') return { status: 200, body: { value: store.clockings } };
    if (pathname !== API_BASE && !pathname.startsWith(`${API_BASE}/`)) throw new ProblemError(404, `Nothing at ${pathname}.`);
    const api: ApiRequest = {
      method,
      pathname,
      segments: decodeSegments(pathname.slice(API_BASE.length)),
      query: new URLSearchParams(rawQuery),
      rawQuery,
      headers: req.headers,
      body,
    };
    return routeApi(ctx, people, api);
  };

  const safely = (fn: () => SimResponse): SimResponse => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ProblemError) return err.toResponse();
      return { status: 500, body: problemBody(500, `The simulator failed: ${(err as Error).message}`) };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    const entry = log.begin(req.method ?? 'GET', target);
    if (target.length > MAX_URI) return send(res, entry, new ProblemError(414, `The request URI is ${target.length} characters long; the limit is ${MAX_URI}.`).toResponse());
    const body = await readBody(req);
    if (body === undefined) return send(res, entry, new ProblemError(413, `The request body exceeds ${MAX_BODY} bytes.`).toResponse());
    const q = target.indexOf('?');
    const pathname = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? '' : target.slice(q + 1);
    const method = req.method ?? 'GET';
    const exempt = pathname.startsWith('/__sim/') || (pathname === '/clockings' && method === 'GET');
    const fault = exempt ? undefined : faults.find(method, target, TOKEN_PATH.test(pathname));

    if (fault !== undefined && fault.kind !== 'empty-page') {
      faults.consume(fault);
      entry.fault = fault.kind;
      const early = await beforeHandling(fault, req, delay);
      if (early === 'dropped') return;
      if (early !== undefined) return send(res, entry, early);
    }
    const response = safely(() => answer(req, body, pathname, rawQuery));
    if (fault?.kind === 'empty-page' && response.status === 200 && Array.isArray((response.body as { value?: unknown } | undefined)?.value)) {
      faults.consume(fault);
      entry.fault = fault.kind;
      // The "same continuation": following it asks for this very page again.
      return send(res, entry, { status: 200, body: { value: [], nextLink: target } });
    }
    if (fault?.kind === 'after-store-reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'truncated') {
      const text = JSON.stringify(response.body ?? {});
      const bytes = Buffer.from(text);
      res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.length) });
      entry.status = response.status;
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => req.socket.destroy());
      return;
    }
    send(res, entry, response);
  };

  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    // Handlers answer their own errors; what is left is a broken connection (e.g. while reading the body).
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    faults,
    store,
    clockings: () => store.clockings.map((c) => structuredClone(c)),
    requests: () => log.all(),
    expireTokens: () => tokens.expireAll(),
    expireDeltas: () => deltas.expireAll(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/**
 * The faults that act before the request is handled: an answer to send instead, 'dropped' when
 * the connection is gone or must hang, or undefined to carry on (after a latency, or for the
 * faults that act on the real answer).
 */
async function beforeHandling(fault: ActiveFault, req: IncomingMessage, delay: (ms: number) => Promise<void>): Promise<SimResponse | 'dropped' | undefined> {
  switch (fault.kind) {
    case 'latency':
      await delay(fault.ms);
      return undefined;
    case 'status':
      return { status: fault.status, body: problemBody(fault.status, `Injected fault: ${fault.status}.`) };
    case 'rate-limit':
      return { status: 429, headers: { 'retry-after': String(fault.retryAfterSeconds) }, body: problemBody(429, 'Too many requests; retry later.') };
    case 'reset':
      req.socket.destroy();
      return 'dropped';
    case 'hang':
      // Never answered; close() destroys the socket.
      return 'dropped';
    case 'malformed':
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, raw: '<html><body>502 Bad Gateway</body></html>' };
    default:
      return undefined;
  }
}

function send(res: ServerResponse, entry: RequestLogEntry, response: SimResponse): void {
  const text = response.raw ?? (response.body === undefined ? '' : JSON.stringify(response.body));
  const headers: Record<string, string> = { ...(text === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...response.headers };
  headers['content-length'] = String(Buffer.byteLength(text));
  entry.status = response.status;
  res.writeHead(response.status, headers);
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function decodeSegments(path: string): string[] {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    throw badRequest('path', `The path ${path} holds an invalid percent-encoding.`);
  }
}
