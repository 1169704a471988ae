import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { isPtgwError } from '../core/errors.js';
import { tokenMatches } from './adminAuth.js';
import { adminRoutes } from './adminRoutes.js';
import type { HttpDeps } from './HttpDeps.js';
import { BadRequest, runLookup, type LookupQuery } from './lookupQuery.js';
import { statusJson } from './statusJson.js';
import { renderLive, renderLookup, renderPage, SECURITY_HEADERS } from './statusPage.js';

/** Fastify's default: the longest path parameter its router matches. */
const MAX_PATH_PART = 100;

/** The methods an Allow header may list, in the order it lists them. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

function error(reply: FastifyReply, status: number, code: string, message: string, field?: string): FastifyReply {
  return reply.code(status).send({ error: field === undefined ? { code, message } : { code, message, field } });
}

/** `?full=` of POST /api/sync; undefined for a value it does not know, which must not quietly mean "incremental". */
function parseFull(value: unknown): boolean | undefined {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  return undefined;
}

/**
 * How long and how many clients the server holds. Node and fastify leave a request whose body never
 * comes open for ever: anyone on the LAN could hold connections (and file descriptors, which the
 * terminals' ports and the cache need too) with a few bytes, even on the admin routes' 401.
 */
export interface HttpLimits {
  /** The whole request (headers and body) must have arrived within this; it is checked every checkIntervalMs. */
  requestTimeoutMs: number;
  checkIntervalMs: number;
  /** Connections beyond this are closed on accept: a flood costs the status page, never the terminals. */
  maxConnections: number;
}

// Requests here are small (admin bodies, status GETs): 30 s is ample on a LAN, even over a VPN.
export const HTTP_LIMITS: HttpLimits = { requestTimeoutMs: 30_000, checkIntervalMs: 5_000, maxConnections: 256 };

/**
 * The HTTP API and status page (fastify style: built here, listened on by the app), so tests and
 * `ptgw demo` build it with their own parts. Read-only except the admin endpoints.
 */
export function buildApp(deps: HttpDeps, options: { logger?: Logger; limits?: Partial<HttpLimits> | undefined } = {}): FastifyInstance {
  const limits = { ...HTTP_LIMITS, ...options.limits };
  const app = Fastify({
    loggerInstance: options.logger?.child({ module: 'http' }) as FastifyBaseLogger | undefined,
    // Per-request lines would drown the journal in status-page refreshes and metric scrapes.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: limits.requestTimeoutMs,
    routerOptions: { maxParamLength: MAX_PATH_PART },
    // Node's own headers timeout (60 s) would outlast the request timeout; its check runs every 30 s.
    http: { headersTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: limits.checkIntervalMs },
    // A path that is no valid percent-encoding, or has a part longer than the router takes, fails
    // before routing, where neither the hooks nor the error handler run: answered here in the
    // gateway's own error JSON, not fastify's.
    frameworkErrors: (err, req, reply) => {
      reply.headers(SECURITY_HEADERS);
      if (err.code === 'FST_ERR_BAD_URL') return error(reply, 400, 'BAD_REQUEST', 'The path is not valid percent-encoding.', '(path)');
      if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return error(reply, 414, 'BAD_REQUEST', `A part of the path is longer than ${MAX_PATH_PART} characters; no structure version, level or reference is that long.`, '(path)');
      req.log.error({ err }, 'request failed before routing');
      return error(reply, 500, 'INTERNAL', 'The gateway failed to answer; see its log.');
    },
  });
  app.server.maxConnections = limits.maxConnections;
  app.addHook('onRequest', async (_req, reply) => {
    reply.headers(SECURITY_HEADERS);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) =>
    deps.ready() ? { status: 'ready' } : reply.code(503).send({ status: 'loading', reason: 'no sync has filled the cache yet: every code would be refused as unknown' }),
  );
  app.get('/api/status', async () => statusJson(deps));
  app.get('/metrics', async (_req, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()));

  app.get('/api/lookup', async (req: FastifyRequest<{ Querystring: LookupQuery }>, reply) => {
    try {
      const r = runLookup(deps, req.query);
      return { decision: r.decision, steps: r.steps.map(({ explanation: _e, ...s }) => s) };
    } catch (err) {
      if (err instanceof BadRequest) return error(reply, 400, 'BAD_REQUEST', err.message, err.field);
      throw err;
    }
  });

  app.get('/', async (req: FastifyRequest<{ Querystring: LookupQuery }>, reply) => {
    const q = req.query;
    let result: Parameters<typeof renderLookup>[1];
    if (q.badge !== undefined || q.codes !== undefined) {
      try {
        result = runLookup(deps, q);
      } catch (err) {
        if (!(err instanceof BadRequest)) throw err;
        result = { error: err.message };
      }
    }
    return reply.type('text/html; charset=utf-8').send(renderPage(statusJson(deps), deps.now(), renderLookup(q, result)));
  });
  app.get('/status-fragment', async (_req, reply) => reply.type('text/html; charset=utf-8').send(renderLive(statusJson(deps), deps.now())));

  // Admin endpoints: bearer token, compared in constant time; off without a configured token.
  app.register(async (admin) => {
    admin.addHook('onRequest', async (req, reply) => {
      const token = deps.adminToken?.();
      if (token === undefined) return error(reply, 403, 'ADMIN_DISABLED', 'Admin endpoints are off: no admin token is configured (http.adminTokenFile).');
      if (!tokenMatches(req.headers.authorization, token)) {
        return error(reply.header('www-authenticate', 'Bearer'), 401, 'UNAUTHORIZED', 'A valid admin token is required (Authorization: Bearer <token>).');
      }
      return undefined;
    });
    admin.post('/api/sync', async (req: FastifyRequest<{ Querystring: { full?: unknown } }>, reply) => {
      const full = parseFull(req.query.full);
      if (full === undefined) return error(reply, 400, 'BAD_REQUEST', 'full must be true or 1 for a full sync, false or 0 (or left out) for an incremental one, given once.', 'full');
      if (deps.sync === undefined) return error(reply, 409, 'SYNC_OFF', 'This gateway has no upstream configured.');
      try {
        return { report: await deps.sync.run({ full }) };
      } catch (err) {
        if (isPtgwError(err)) return error(reply, 502, err.code, err.message);
        throw err;
      }
    });
    if (deps.admin !== undefined) adminRoutes(admin, deps.admin);
    admin.post('/api/outbox/retry', async (req: FastifyRequest<{ Body: unknown }>, reply) => {
      // No body retries every failed row; a body that is no object must not be read as "no id".
      const body = req.body;
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
        return error(reply, 400, 'BAD_REQUEST', 'The body must be a JSON object such as {"id": "<outbox row id>"}, or left out to retry every failed row.', 'id');
      }
      // A misspelt id ({"Id": ...}) read as "no id" would retry every failed row.
      const unknown = body === undefined ? undefined : Object.keys(body).find((key) => key !== 'id');
      if (unknown !== undefined) return error(reply, 400, 'BAD_REQUEST', `Unknown field "${unknown}": the body takes only "id", or is left out to retry every failed row.`, unknown);
      const id = (body as { id?: unknown } | undefined)?.id;
      if (id !== undefined && typeof id !== 'string') return error(reply, 400, 'BAD_REQUEST', 'id must be the outbox row id (a string), or left out to retry every failed row.', 'id');
      const retried = await deps.outbox.retry(id);
      deps.onOutboxRetry();
      return { retried };
    });
  });

  // A known path asked with a method it does not have is a 405 naming the ones it has, not a
  // 404 that sends an integrator looking for a typo in the path.
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const allow = METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
    if (allow.length > 0) return error(reply.header('allow', allow.join(', ')), 405, 'METHOD_NOT_ALLOWED', `${path} does not take ${req.method}; it takes ${allow.join(', ')}.`);
    return error(reply, 404, 'NOT_FOUND', `No route ${req.method} ${path}.`);
  });
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string; validation?: unknown }, _req, reply) => {
    // Fastify's body parsing errors (not JSON, empty, too large, wrong content type) name the body as the field.
    if (err.statusCode !== undefined && err.statusCode < 500) return error(reply, err.statusCode, 'BAD_REQUEST', err.message, err.code?.startsWith('FST_ERR_CTP_') === true ? '(body)' : undefined);
    app.log.error({ err }, 'request failed');
    return error(reply, 500, 'INTERNAL', 'The gateway failed to answer; see its log.');
  });
  return app;
}
