import { API_BASE } from './paging.js';
import { badRequest, ProblemError } from './ProblemError.js';

/** What a delta follows: one definitions list path (with the expand it was started with) or people (with its filter). */
export type DeltaScope =
  | { kind: 'activity-definitions'; structureVersion: string; level: number; expand: string | null }
  | { kind: 'people'; filter: string };

/** The content of a deltaToken: which delta session, and the change version it has seen up to. */
export interface DeltaToken {
  session: number;
  mark: number;
  scope: DeltaScope;
}

const LIFETIME_MS = 72 * 3600 * 1000;

/**
 * The live delta of each collection. Upstream allows one active delta per collection, so starting
 * a new one retires the old session and its links answer 410, as do links unused for 72 hours.
 */
export class DeltaSessions {
  readonly #active = new Map<string, { session: number; lastUsedAt: number }>();
  #sessions = 0;

  constructor(private readonly now: () => number) {}

  start(scope: DeltaScope): number {
    const session = ++this.#sessions;
    this.#active.set(collectionKey(scope), { session, lastUsedAt: this.now() });
    return session;
  }

  /** Throws 410 when the session was replaced or lapsed; otherwise counts this as a use. */
  use(session: number, scope: DeltaScope): void {
    const key = collectionKey(scope);
    const active = this.#active.get(key);
    if (active === undefined || active.session !== session) {
      throw new ProblemError(410, 'This delta link is no longer valid (a newer delta was started on the collection, or it expired); list the collection again.');
    }
    if (this.now() - active.lastUsedAt > LIFETIME_MS) {
      this.#active.delete(key);
      throw new ProblemError(410, 'This delta link expired 72 hours after its last use; list the collection again.');
    }
    active.lastUsedAt = this.now();
  }

  expireAll(): void {
    this.#active.clear();
  }
}

function collectionKey(scope: DeltaScope): string {
  return scope.kind === 'people' ? 'people' : `activity-definitions\u0000${scope.structureVersion}\u0000${scope.level}`;
}

export function encodeDeltaToken(token: DeltaToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeDeltaToken(text: string | null, kind: DeltaScope['kind']): DeltaToken {
  if (text === null || text === '') throw badRequest('deltaToken', 'The deltaToken query parameter is required.');
  let token: DeltaToken;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as DeltaToken;
  } catch {
    throw badRequest('deltaToken', 'The deltaToken is not one this API issued.');
  }
  if (typeof token?.session !== 'number' || typeof token.mark !== 'number' || token.scope?.kind !== kind) {
    throw badRequest('deltaToken', `The deltaToken is not one this API issued for ${kind}.`);
  }
  return token;
}

/** `/connector/protimeapi/api/v1/delta/<collection>?deltaToken=…` */
export function deltaLinkFor(token: DeltaToken): string {
  return `${API_BASE}/delta/${token.scope.kind}?deltaToken=${encodeDeltaToken(token)}`;
}
