import type { IncomingHttpHeaders } from 'node:http';
import type { DeltaSessions } from './DeltaSessions.js';
import type { Fixture } from './fixtureSchema.js';
import type { SimStore } from './SimStore.js';
import type { TokenIssuer } from './TokenIssuer.js';

/** The state every API handler works on. */
export interface SimContext {
  fixture: Fixture;
  store: SimStore;
  tokens: TokenIssuer;
  deltas: DeltaSessions;
  pageSize: number;
  now: () => number;
}

/** One API request, its path already split into decoded segments below the API base. */
export interface ApiRequest {
  method: string;
  /** The full path as requested (API base included), for building links. */
  pathname: string;
  segments: string[];
  query: URLSearchParams;
  /** The query string exactly as sent, so that links keep the caller's encoding. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export { SCOPES } from '../core/scopes.js';
