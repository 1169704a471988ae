import { deltaLinkFor, type DeltaScope } from './DeltaSessions.js';
import { decodeContinuation, encodeContinuation, nextLink, pageOf } from './paging.js';
import type { SimResponse } from './ProblemError.js';
import type { ApiRequest, SimContext } from './SimContext.js';

/** A list call that starts (or pages through the start of) a delta, for the client that asked. */
export interface DeltaStart {
  scope: DeltaScope;
  client: string;
}

/**
 * One page of a list answer: `{value, nextLink}` until the last page, which has no nextLink —
 * and, when the call starts a delta (`delta` given), a deltaLink instead. The delta is
 * registered on the first page (retiring the client's older delta of the collection) and marked with the
 * change version of that moment, so changes made while the pages are walked are delivered by the
 * first delta call.
 */
export function listAnswer<T>(ctx: SimContext, req: ApiRequest, all: readonly T[], render: (item: T) => unknown, delta: DeltaStart | undefined): SimResponse {
  const continuation = decodeContinuation(req.query.get('continuationToken'));
  let session: string | undefined;
  let mark: number | undefined;
  if (delta !== undefined) {
    if (continuation.session === undefined) {
      session = ctx.deltas.start(delta.scope, delta.client);
      mark = ctx.store.counter.current;
    } else {
      ctx.deltas.use(continuation.session, delta.scope.kind, delta.client);
      session = continuation.session;
      mark = continuation.mark ?? 0;
    }
  }
  const page = pageOf(all, continuation.offset, ctx.pageSize);
  const body: Record<string, unknown> = { value: page.items.map(render) };
  if (page.next !== undefined) {
    body.nextLink = nextLink(req.pathname, req.rawQuery, encodeContinuation({ offset: page.next, ...(session === undefined ? {} : { session, mark }) }));
  } else if (delta !== undefined && session !== undefined && mark !== undefined) {
    body.deltaLink = deltaLinkFor(delta.scope.kind, { session, mark });
  }
  return { status: 200, body };
}
