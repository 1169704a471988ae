import { formatChangeVersion } from './ChangeCounter.js';
import { decodeDeltaToken, deltaLinkFor, type DeltaScope } from './DeltaSessions.js';
import { decodeContinuation, encodeContinuation, nextLink, pageOf, type Page } from './paging.js';
import { parsePeopleFilter } from './peopleFilter.js';
import type { SimResponse } from './ProblemError.js';
import { parseExpand, renderDefinition, renderPerson } from './render.js';
import type { ApiRequest, SimContext } from './SimContext.js';

/**
 * `GET /delta/{activity-definitions|people}?deltaToken=…`: the items changed since the token's
 * mark, as InsertOrUpdate (the full current item) or Delete (id and the deletion's change
 * version; an item that left the collection — moved level, or no longer matching the people
 * filter — counts as deleted there). The change set is cut at the first page's high-water mark;
 * the last page carries a new deltaLink, also when nothing changed.
 */
export function deltaRead(ctx: SimContext, req: ApiRequest, client: string, kind: DeltaScope['kind']): SimResponse {
  const token = decodeDeltaToken(req.query.get('deltaToken'));
  const scope = ctx.deltas.use(token.session, kind, client);
  const continuation = decodeContinuation(req.query.get('continuationToken'));
  const upTo = continuation.mark ?? ctx.store.counter.current;
  const page = changePage(ctx, scope, token.mark, upTo, continuation.offset);
  const body: Record<string, unknown> = { value: page.items };
  if (page.next !== undefined) body.nextLink = nextLink(req.pathname, req.rawQuery, encodeContinuation({ offset: page.next, mark: upTo }));
  else body.deltaLink = deltaLinkFor(kind, { session: token.session, mark: upTo });
  return { status: 200, body };
}

function changePage(ctx: SimContext, scope: DeltaScope, after: number, upTo: number, offset: number): Page<unknown> {
  const deleted = (id: string | number, version: number) => ({ changeType: 'Delete', data: { id, changeVersion: formatChangeVersion(version) } });
  if (scope.kind === 'people') {
    const filter = parsePeopleFilter(scope.filter);
    const page = pageOf(ctx.store.people.log.between(after, upTo), offset, ctx.pageSize);
    const items = page.items.map((entry) => {
      const person = ctx.store.people.get(entry.id);
      if (person === undefined) return deleted(entry.id, entry.version);
      return filter.matches(person) ? { changeType: 'InsertOrUpdate', data: renderPerson(person) } : deleted(person.id, person.changeVersion);
    });
    return { items, next: page.next };
  }
  const list = ctx.store.definitions.list(scope.structureVersion, scope.level)!;
  const levels = ctx.store.definitions.structureVersion(scope.structureVersion)!.levels;
  const expand = parseExpand(scope.expand);
  const page = pageOf(list.log.between(after, upTo), offset, ctx.pageSize);
  const items = page.items.map((entry) => {
    const definition = list.find({ kind: 'id' }, entry.id);
    return definition === undefined ? deleted(entry.id, entry.version) : { changeType: 'InsertOrUpdate', data: renderDefinition(definition, levels, expand) };
  });
  return { items, next: page.next };
}
