import { randomBytes } from 'node:crypto';
import { API_BASE } from './paging.js';
import { badRequest, ProblemError } from './ProblemError.js';

/** What a delta follows: one definitions list path (with the expand it was started with) or people (with its filter). */
export type DeltaScope =
  | { kind: 'activity-definitions'; structureVersion: string; level: number; expand: string | null }
  | { kind: 'people'; filter: string };

/**
 * The content of a deltaToken: which delta session, and the change version it has seen up to.
 * The scope stays on the server, so that a long people filter does not make the link too long to send.
 */
export interface DeltaToken {
  session: string;
  mark: number;
}

const LIFETIME_MS = 72 * 3600 * 1000;

/**
 * The live delta of each collection per API client. Upstream allows one active delta per
 * collection, so starting a new one retires the client's old session and its links answer 410,
 * as do links unused for 72 hours. Each (structure version, level) list is its own collection:
 * otherwise a gateway could never follow more than one level by delta.
 */
export class DeltaSessions {
  readonly #sessions = new Map<string, { scope: DeltaScope; client: string }>();
  readonly #active = new Map<string, { session: string; lastUsedAt: number }>();

  constructor(private readonly now: () => number) {}

  start(scope: DeltaScope, client: string): string {
    // Random, so that links a previous simulator run issued are unknown (410), not someone else's.
    const session = randomBytes(9).toString('base64url');
    this.#sessions.set(session, { scope, client });
    this.#active.set(activeKey(client, scope), { session, lastUsedAt: this.now() });
    return session;
  }

  /**
   * The scope of a live session of `kind` and `client`, counting this as a use. A link of another
   * collection is a 400; a replaced, lapsed, unknown or other client's session a 410.
   */
  use(session: string, kind: DeltaScope['kind'], client: string): DeltaScope {
    const gone = new ProblemError(410, 'This delta link is no longer valid (a newer delta was started on the collection, it expired, or another client started it); list the collection again.');
    const started = this.#sessions.get(session);
    if (started === undefined) throw gone;
    if (started.scope.kind !== kind) throw badRequest('deltaToken', `The deltaToken was issued for ${started.scope.kind}, not ${kind}.`);
    const key = activeKey(started.client, started.scope);
    const active = this.#active.get(key);
    if (started.client !== client || active?.session !== session) throw gone;
    if (this.now() - active.lastUsedAt > LIFETIME_MS) {
      this.#active.delete(key);
      throw new ProblemError(410, 'This delta link expired 72 hours after its last use; list the collection again.');
    }
    active.lastUsedAt = this.now();
    return started.scope;
  }

  expireAll(): void {
    this.#active.clear();
  }
}

function activeKey(client: string, scope: DeltaScope): string {
  const collection = scope.kind === 'people' ? 'people' : `activity-definitions\u0000${scope.structureVersion}\u0000${scope.level}`;
  return `${client}\u0000${collection}`;
}

export function encodeDeltaToken(token: DeltaToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeDeltaToken(text: string | null): DeltaToken {
  if (text === null || text === '') throw badRequest('deltaToken', 'The deltaToken query parameter is required.');
  let token: Partial<DeltaToken> | null = null;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<DeltaToken> | null;
  } catch {
    // answered below
  }
  if (typeof token?.session !== 'string' || typeof token.mark !== 'number') throw badRequest('deltaToken', 'The deltaToken is not one this API issued.');
  return { session: token.session, mark: token.mark };
}

/** `/connector/protimeapi/api/v1/delta/<collection>?deltaToken=…` */
export function deltaLinkFor(kind: DeltaScope['kind'], token: DeltaToken): string {
  return `${API_BASE}/delta/${kind}?deltaToken=${encodeDeltaToken(token)}`;
}
