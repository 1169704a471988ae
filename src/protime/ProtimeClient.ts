import type { Logger } from 'pino';
import { request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { PtgwError, isRetryable } from '../core/errors.js';
import { clockIsOff, clockOffsetMs, describeClockOffset } from '../core/clockOffset.js';
import { RepeatedFailures } from '../core/repeatedFailures.js';
import { backoffDelay, parseRetryAfter, sleep } from './backoff.js';
import { createDispatcher, proxyFailure, type ProxyOptions, type Timeouts } from './dispatcher.js';
import { TokenCache } from './TokenCache.js';

export const API_PATH = '/connector/protimeapi/api/v1';

/** Every 4xx status but the given ones: for `accept`, when the caller reads Protime's refusals itself. */
export function clientErrorsExcept(...statuses: number[]): number[] {
  return Array.from({ length: 100 }, (_, i) => 400 + i).filter((s) => !statuses.includes(s));
}
const MAX_RETRY_AFTER_MS = 60_000;
/** Far above any page Protime sends (100 items with their usages), far below what would exhaust the daemon's memory. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface ClientOptions {
  baseUrl: string;
  authUrl: string;
  tenant: string;
  clientId: string;
  /** A function, so that the secret is held by its owner and never copied into options dumps. */
  clientSecret: () => string;
  userAgent: string;
  logger: Logger;
  maxAttempts?: number;
  backoff?: { baseMs: number; maxMs: number };
  timeouts?: Timeouts;
  /** Undefined: straight to Protime. */
  proxy?: ProxyOptions | undefined;
  now?: () => number;
  /** The most of one answer's body that is read; a longer one is refused as malformed. */
  maxResponseBytes?: number;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface RequestOptions {
  scope: string;
  method?: Dispatcher.HttpMethod;
  body?: unknown;
  /** Statuses handed back to the caller instead of raised (e.g. 404 for "does it exist?"). */
  accept?: readonly number[];
  /** Whether a failed attempt may be repeated: false for non-idempotent writes. */
  retry?: boolean;
  signal?: AbortSignal;
}

/**
 * The Protime API over undici: one keep-alive pool, per-scope tokens renewed before expiry and once
 * on a 401, retries with exponential backoff and jitter on network errors, 5xx and 429 (honouring
 * Retry-After), and every JSON answer checked against a schema by the caller's `getJson`.
 */
export class ProtimeClient {
  readonly #options: Required<Omit<ClientOptions, 'logger' | 'proxy'>> & { logger: Logger; proxy: ProxyOptions | undefined };
  readonly #agent: Dispatcher;
  readonly #tokens: TokenCache;
  readonly #log: Logger;
  readonly #retries = new RepeatedFailures();
  #clockOffsetMs: number | undefined;
  /** A box whose clock is off stays off: warned about once, then once an hour, until it is right again. */
  readonly #clockWarnings = new RepeatedFailures();

  constructor(options: ClientOptions) {
    this.#options = {
      maxAttempts: 5,
      backoff: { baseMs: 500, maxMs: 30_000 },
      timeouts: { connectMs: 10_000, headersMs: 30_000, bodyMs: 60_000 },
      now: Date.now,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      ...options,
      proxy: options.proxy,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      authUrl: options.authUrl.replace(/\/+$/, ''),
    };
    this.#agent = createDispatcher(this.#options.timeouts, options.proxy);
    this.#log = options.logger.child({ module: 'protime' });
    this.#tokens = new TokenCache({
      url: `${this.#options.authUrl}/tenants/${encodeURIComponent(options.tenant)}/connect/token`,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      userAgent: options.userAgent,
      dispatcher: this.#agent,
      proxy: options.proxy,
      now: this.#options.now,
    });
  }

  /** `pathOrLink` is a path under the API base, or a nextLink/deltaLink as Protime returns them. */
  url(pathOrLink: string): string {
    if (/^https?:\/\//.test(pathOrLink)) {
      // The link gets the bearer token: only to the server the token is for.
      const origin = new URL(pathOrLink).origin;
      const own = new URL(this.#options.baseUrl).origin;
      if (origin !== own) throw new PtgwError('SYNC_MALFORMED_RESPONSE', `Protime sent a link to another server (${origin}); ptgw sends its token only to ${own}.`);
      return pathOrLink;
    }
    if (pathOrLink.startsWith('/connector/')) return `${this.#options.baseUrl}${pathOrLink}`;
    return `${this.#options.baseUrl}${API_PATH}${pathOrLink.startsWith('/') ? '' : '/'}${pathOrLink}`;
  }

  async getJson<S extends z.ZodType>(pathOrLink: string, schema: S, options: Omit<RequestOptions, 'method' | 'body'>): Promise<z.infer<S>> {
    const res = await this.request(pathOrLink, options);
    return this.parse(res, schema, pathOrLink);
  }

  parse<S extends z.ZodType>(res: ApiResponse, schema: S, what: string): z.infer<S> {
    const parsed = schema.safeParse(res.body);
    if (!parsed.success && res.body === undefined) {
      throw new PtgwError('SYNC_MALFORMED_RESPONSE', `Protime answered ${shortPath(what)} with an empty body (${res.status}) where a JSON answer was due.`, { cause: parsed.error, status: res.status });
    }
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
      throw new PtgwError('SYNC_MALFORMED_RESPONSE', `Protime answered ${shortPath(what)} with an unexpected shape${where}.`, { cause: parsed.error, status: res.status });
    }
    return parsed.data;
  }

  async request(pathOrLink: string, options: RequestOptions): Promise<ApiResponse> {
    const attempts = options.retry === false ? 1 : this.#options.maxAttempts;
    let renewedToken = false;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.#once(pathOrLink, options);
        this.#retries.end();
        return res;
      } catch (err) {
        if (err instanceof PtgwError && err.code === 'SYNC_AUTH_FAILED' && err.status === 401 && !renewedToken) {
          // A token can be revoked or expire early: fetch a new one and try once more.
          renewedToken = true;
          this.#tokens.invalidate(options.scope);
          attempt--;
          continue;
        }
        if (!isRetryable(err) || attempt + 1 >= attempts) throw err;
        const wait = err instanceof PtgwError && err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : backoffDelay(attempt, this.#options.backoff);
        // A Retry-After of more than a minute ends this request: the caller's next run (the periodic
        // sync, a manual one) tries later, instead of every caller waiting behind a sleep of an hour.
        if (wait > MAX_RETRY_AFTER_MS) throw err;
        // While Protime stays down every sync and delivery retries the same way: the first is logged, then one an hour.
        const why = describe(err);
        const verdict = this.#retries.note(why.message, this.#options.now());
        if (verdict.log) {
          const repeats = verdict.first ? {} : { repeats: verdict.omitted + 1 };
          this.#log.warn({ err: why, attempt: attempt + 1, waitMs: wait, path: shortPath(pathOrLink), ...repeats }, 'Protime request failed; retrying (the same failure is logged once an hour while it repeats)');
        }
        await sleep(wait, options.signal);
      }
    }
  }

  async #once(pathOrLink: string, options: RequestOptions): Promise<ApiResponse> {
    const token = await this.#tokens.get(options.scope, options.signal);
    const url = this.url(pathOrLink);
    const method = options.method ?? 'GET';
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method,
        dispatcher: this.#agent,
        signal: options.signal,
        headers: {
          authorization: `Bearer ${token}`,
          'user-agent': this.#options.userAgent,
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (cause) {
      throw networkError(cause, method, pathOrLink, this.#options.proxy);
    }
    const read = await readBody(res, method, pathOrLink, this.#options.maxResponseBytes);
    // An error page that echoes the request (some proxies' and frameworks' do) would carry the token
    // on into the integrator's answer, the status page and the log.
    const text = res.statusCode >= 400 ? read.replaceAll(token, '[token]') : read;
    let body: unknown = undefined;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch (cause) {
        if (res.statusCode < 400) {
          // An HTML page here is nearly always a proxy or captive portal answering in Protime's place.
          const type = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : 'no content type';
          throw new PtgwError('SYNC_MALFORMED_RESPONSE', `Protime answered ${method} ${shortPath(pathOrLink)} with a body that is not JSON (${type}); is a proxy answering in its place?`, {
            cause,
            status: res.statusCode,
          });
        }
        body = text;
      }
    }
    this.#log.debug({ method, path: shortPath(pathOrLink), status: res.statusCode }, 'protime');
    this.#noteClock(res.headers.date);
    if (res.statusCode < 300 || options.accept?.includes(res.statusCode) === true) return { status: res.statusCode, headers: res.headers, body };
    throw statusError(res.statusCode, res.headers, body, method, pathOrLink, this.#options.now());
  }

  /** This box's clock minus Protime's, from the last answer's Date header (ms); undefined before any answer. */
  get clockOffsetMs(): number | undefined {
    return this.#clockOffsetMs;
  }

  /**
   * Clockings carry this box's time: a clock minutes off (no NTP, a dead RTC battery) puts every
   * worker's selection at the wrong time, and Protime's own clock is the one reference ptgw meets.
   */
  #noteClock(dateHeader: unknown): void {
    const offset = clockOffsetMs(dateHeader, this.#options.now());
    if (offset === undefined) return;
    this.#clockOffsetMs = offset;
    if (!clockIsOff(offset)) {
      if (this.#clockWarnings.end() > 0) this.#log.info({ clockOffsetSeconds: Math.round(offset / 1000) }, 'the clock of this box agrees with Protime again');
      return;
    }
    const line = this.#clockWarnings.logLine(
      `the clock of this box is ${describeClockOffset(offset)}; clockings carry this box's time, so set the clock right (timedatectl: NTP)`,
      this.#options.now(),
      'answers',
      'clock',
    );
    if (line !== undefined) this.#log.warn({ clockOffsetSeconds: Math.round(offset / 1000), ...line.fields }, line.text);
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/** The body as text, read no further than `limit` bytes: a runaway answer must not take the daemon's memory. */
async function readBody(res: Dispatcher.ResponseData, method: string, path: string, limit: number): Promise<string> {
  const tooLarge = (): PtgwError => {
    res.body.destroy();
    const mib = `${Math.round((limit / 1024 / 1024) * 10) / 10} MiB`;
    return new PtgwError('SYNC_MALFORMED_RESPONSE', `Protime's answer to ${method} ${shortPath(path)} is larger than ${mib}, more than any page should be; ptgw stopped reading it.`, {
      status: res.statusCode,
    });
  };
  if (Number(res.headers['content-length']) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (cause) {
    throw networkError(cause, method, path);
  }
  // TextDecoder, as undici's text(): a leading byte order mark is dropped, not handed to JSON.parse.
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function networkError(cause: unknown, method: string, path: string, proxy?: ProxyOptions): PtgwError {
  if (cause instanceof PtgwError) return cause;
  // First: undici words a tunnel the proxy refused as an AbortError.
  const viaProxy = proxyFailure(cause, proxy, `${method} ${shortPath(path)}`);
  if (viaProxy !== undefined) return viaProxy;
  const code = (cause as { code?: string }).code ?? '';
  const timeout = code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
  if ((cause as Error).name === 'AbortError') return new PtgwError('SYNC_NETWORK', `${method} ${shortPath(path)} was aborted.`, { cause });
  return new PtgwError(timeout ? 'SYNC_TIMEOUT' : 'SYNC_NETWORK', `${method} ${shortPath(path)} failed: ${(cause as Error).message}${code === '' ? '' : ` (${code})`}.`, { cause });
}

function statusError(status: number, headers: ApiResponse['headers'], body: unknown, method: string, path: string, now: number): PtgwError {
  const detail = upstreamMessage(body);
  const where = `${method} ${shortPath(path)}`;
  if (status === 401) return new PtgwError('SYNC_AUTH_FAILED', `Protime refused the token for ${where} (401)${detail}.`, { status });
  if (status === 403) return new PtgwError('SYNC_AUTH_FAILED', `The API client lacks the scope for ${where} (403)${detail}; grant it in myProtime.`, { status });
  if (status === 410) return new PtgwError('SYNC_DELTA_EXPIRED', `The delta link for ${where} has expired (410); a full sync follows.`, { status });
  if (status === 429) {
    return new PtgwError('SYNC_RATE_LIMITED', `Protime rate-limited ${where} (429).`, { status, retryAfterSeconds: parseRetryAfter(headers['retry-after'], now) });
  }
  return new PtgwError('SYNC_HTTP_STATUS', `Protime answered ${where} with ${status}${detail}.`, { status });
}

/** The human part of an error body (ProblemDetails title/detail/errors), cut short; never the request. */
export function upstreamMessage(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return `: ${body.slice(0, 200)}`;
  if (typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['title', 'detail', 'message', 'error', 'error_description']) if (typeof b[key] === 'string') parts.push(b[key]);
  if (b.errors !== null && typeof b.errors === 'object') {
    for (const [field, msgs] of Object.entries(b.errors as Record<string, unknown>)) parts.push(`${field}: ${Array.isArray(msgs) ? msgs.join(' ') : String(msgs)}`);
  }
  return parts.length === 0 ? '' : `: ${parts.join('; ').slice(0, 300)}`;
}

export function shortPath(pathOrLink: string): string {
  const i = pathOrLink.indexOf(API_PATH);
  const p = i >= 0 ? pathOrLink.slice(i + API_PATH.length) : pathOrLink;
  // Continuation and delta tokens are long and say nothing to a person.
  return p.replace(/(continuationToken|deltaToken)=[^&]*/g, '$1=…');
}

function describe(err: unknown): { code?: string; status?: number; message: string } {
  return err instanceof PtgwError ? { code: err.code, status: err.status, message: err.message } : { message: String(err) };
}
