import { randomBytes } from 'node:crypto';
import type { Fixture } from './fixtureSchema.js';
import { ProblemError, type SimResponse } from './ProblemError.js';

interface IssuedToken {
  clientId: string;
  scopes: ReadonlySet<string>;
  expiresAt: number;
}

/**
 * The OAuth2 client-credentials token endpoint and the bearer check of every API call. Tokens are
 * random strings remembered with their scopes and expiry (by the injected clock); `expireAll`
 * plays "the tokens were revoked or ran out".
 */
export class TokenIssuer {
  readonly #tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly fixture: Fixture,
    private readonly lifetimeSeconds: number,
    private readonly now: () => number,
  ) {}

  /** `POST /tenants/<tenant>/connect/token`: answers in the OAuth2 error format, not ProblemDetails. */
  issue(tenant: string, form: URLSearchParams): SimResponse {
    if (tenant !== this.fixture.tenant) return { status: 404, body: { error: 'invalid_request', error_description: `Unknown tenant "${tenant}".` } };
    const client = this.fixture.clients.find((c) => c.clientId === form.get('client_id'));
    if (client === undefined || client.clientSecret !== form.get('client_secret')) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Unknown client or wrong client secret.' } };
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Only grant_type=client_credentials is supported.' } };
    }
    const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
    // Without a scope parameter the client gets everything it was granted (the OAuth2 default).
    const scopes = requested.length === 0 ? client.scopes : requested;
    const missing = scopes.find((s) => !client.scopes.includes(s));
    if (missing !== undefined) return { status: 400, body: { error: 'invalid_scope', error_description: `Client "${client.clientId}" was not granted scope ${missing}.` } };
    const token = randomBytes(24).toString('base64url');
    this.#tokens.set(token, { clientId: client.clientId, scopes: new Set(scopes), expiresAt: this.now() + this.lifetimeSeconds * 1000 });
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { access_token: token, expires_in: this.lifetimeSeconds, token_type: 'Bearer', scope: scopes.join(' ') },
    };
  }

  /** The client id of the bearer token; throws 401 without a live token, 403 when it holds none of `anyOf`. */
  authorize(authorization: string | undefined, anyOf: readonly string[]): string {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const issued = token === undefined ? undefined : this.#tokens.get(token);
    if (issued === undefined || issued.expiresAt <= this.now()) {
      const detail = token === undefined ? 'A bearer token is required.' : 'The bearer token is unknown or has expired.';
      throw new ProblemError(401, detail, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    if (!anyOf.some((s) => issued.scopes.has(s))) throw new ProblemError(403, `The token lacks the scope this endpoint needs: ${anyOf.join(' or ')}.`);
    return issued.clientId;
  }

  expireAll(): void {
    this.#tokens.clear();
  }
}
