import { request, type Dispatcher } from 'undici';
import { PtgwError } from '../core/errors.js';
import { tokenSchema } from './schemas.js';

interface Entry {
  token: string;
  renewAt: number;
}

/** Renew this long before expiry (at most a quarter of the lifetime), so a paged sync never carries a token across its end. */
const RENEW_MARGIN_MS = 120_000;

/**
 * OAuth2 client-credentials tokens, one per scope: a client that was not granted, say, the
 * clockings scope still syncs definitions. Concurrent callers share one token request.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<string>>();

  constructor(
    private readonly options: {
      url: string;
      clientId: string;
      clientSecret: () => string;
      userAgent: string;
      dispatcher: Dispatcher;
      now: () => number;
    },
  ) {}

  async get(scope: string, signal?: AbortSignal): Promise<string> {
    const entry = this.#entries.get(scope);
    if (entry !== undefined && entry.renewAt > this.options.now()) return entry.token;
    let pending = this.#pending.get(scope);
    if (pending === undefined) {
      pending = this.#fetch(scope, signal).finally(() => this.#pending.delete(scope));
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
      text = await res.body.text();
    } catch (cause) {
      const code = (cause as { code?: string }).code;
      throw new PtgwError(code?.includes('TIMEOUT') === true ? 'SYNC_TIMEOUT' : 'SYNC_NETWORK', `Cannot reach the Protime token endpoint: ${(cause as Error).message}.`, { cause });
    }
    if (status === 400 || status === 401 || status === 403) {
      const reason = oauthError(text);
      throw new PtgwError(
        'SYNC_AUTH_FAILED',
        `Protime refused the client credentials of client "${this.options.clientId}" for scope ${scope} (${status}${reason === '' ? '' : `, ${reason}`}); check the client id, secret and granted scopes.`,
        { status },
      );
    }
    if (status >= 300) throw new PtgwError('SYNC_HTTP_STATUS', `The Protime token endpoint answered ${status}.`, { status });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new PtgwError('SYNC_MALFORMED_RESPONSE', 'The Protime token endpoint answered with a body that is not JSON.', { cause, status });
    }
    const parsed = tokenSchema.safeParse(json);
    if (!parsed.success) throw new PtgwError('SYNC_MALFORMED_RESPONSE', 'The Protime token endpoint answered without access_token/expires_in.', { status });
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
