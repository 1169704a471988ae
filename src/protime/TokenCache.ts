import { request, type Dispatcher } from 'undici';
import { PtgwError } from '../core/errors.js';
import { parseRetryAfter } from './backoff.js';
import { proxyFailure, type ProxyOptions } from './dispatcher.js';
import { tokenSchema } from './schemas.js';

interface Entry {
  token: string;
  renewAt: number;
}

/** Renew this long before expiry (at most a quarter of the lifetime), so a paged sync never carries a token across its end. */
const RENEW_MARGIN_MS = 120_000;

/**
 * OAuth2 client-credentials tokens, one per scope: a client that was not granted, say, the
 * clockings scope still syncs definitions. Concurrent callers of a scope share one token request,
 * and requests for different scopes go one after the other, so callers that all find their token
 * missing (at start, after a rate limit) do not hit the endpoint together. A failure is never
 * kept: the next call asks again. Every error raised carries `endpoint: 'token'`.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<string>>();
  /** The last token request, settled or not: the next one starts after it. */
  #last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      url: string;
      clientId: string;
      clientSecret: () => string;
      userAgent: string;
      dispatcher: Dispatcher;
      proxy?: ProxyOptions | undefined;
      now: () => number;
    },
  ) {}

  async get(scope: string, signal?: AbortSignal): Promise<string> {
    const entry = this.#entries.get(scope);
    if (entry !== undefined && entry.renewAt > this.options.now()) return entry.token;
    let pending = this.#pending.get(scope);
    if (pending === undefined) {
      const fetched = this.#last.catch(() => undefined).then(() => this.#fetch(scope, signal));
      this.#last = fetched;
      pending = fetched.finally(() => this.#pending.delete(scope));
      this.#pending.set(scope, pending);
    }
    return pending;
  }

  invalidate(scope: string): void {
    this.#entries.delete(scope);
  }

  async #fetch(scope: string, signal: AbortSignal | undefined): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.options.clientId, client_secret: this.options.clientSecret(), scope });
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await request(this.options.url, {
        method: 'POST',
        dispatcher: this.options.dispatcher,
        signal,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': this.options.userAgent, accept: 'application/json' },
        body: form.toString(),
      });
      status = res.statusCode;
      headers = res.headers;
      text = await res.body.text();
    } catch (cause) {
      const viaProxy = proxyFailure(cause, this.options.proxy, 'the token request');
      if (viaProxy !== undefined) throw new PtgwError(viaProxy.code, viaProxy.message, { cause, endpoint: 'token' });
      const code = (cause as { code?: string }).code;
      throw new PtgwError(code?.includes('TIMEOUT') === true ? 'SYNC_TIMEOUT' : 'SYNC_NETWORK', `Cannot reach the Protime token endpoint: ${(cause as Error).message}.`, { cause, endpoint: 'token' });
    }
    if (status === 400 || status === 401 || status === 403) {
      const reason = oauthError(text);
      throw new PtgwError(
        'SYNC_AUTH_FAILED',
        `Protime refused the client credentials of client "${this.options.clientId}" for scope ${scope} (${status}${reason === '' ? '' : `, ${reason}`}); check the client id, secret and granted scopes.`,
        { status, endpoint: 'token' },
      );
    }
    if (status === 429) {
      throw new PtgwError('SYNC_RATE_LIMITED', 'The Protime token endpoint rate-limited the token request (429).', {
        status,
        retryAfterSeconds: parseRetryAfter(headers['retry-after'], this.options.now()),
        endpoint: 'token',
      });
    }
    if (status >= 300) throw new PtgwError('SYNC_HTTP_STATUS', `The Protime token endpoint answered ${status}.`, { status, endpoint: 'token' });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new PtgwError('SYNC_MALFORMED_RESPONSE', 'The Protime token endpoint answered with a body that is not JSON.', { cause, status, endpoint: 'token' });
    }
    const parsed = tokenSchema.safeParse(json);
    if (!parsed.success) throw new PtgwError('SYNC_MALFORMED_RESPONSE', 'The Protime token endpoint answered without access_token/expires_in.', { status, endpoint: 'token' });
    const lifetimeMs = parsed.data.expires_in * 1000;
    this.#entries.set(scope, { token: parsed.data.access_token, renewAt: this.options.now() + lifetimeMs - Math.min(RENEW_MARGIN_MS, lifetimeMs / 4) });
    return parsed.data.access_token;
  }
}

function oauthError(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : '';
  } catch {
    return '';
  }
}
