import { listAnswer } from './listAnswer.js';
import { parsePeopleFilter } from './peopleFilter.js';
import { badRequest, type SimResponse } from './ProblemError.js';
import { renderPerson } from './render.js';
import type { ApiRequest, SimContext } from './SimContext.js';

/**
 * `GET /people?filter=…[&delta]`. The matching ids of the last filter are kept until the next
 * change, so walking the pages of a large group costs a slice per page, not a new selection.
 */
export class PeopleList {
  #cached: { filter: string; version: number; ids: number[] } | undefined;

  answer(ctx: SimContext, req: ApiRequest, client: string): SimResponse {
    const filter = parsePeopleFilter(req.query.get('filter'));
    const wantsDelta = req.query.has('delta');
    if (wantsDelta && !ctx.fixture.deltaCollections.includes('people')) throw badRequest('delta', 'The people collection does not support delta; list it in full.');
    const version = ctx.store.counter.current;
    if (this.#cached?.filter !== filter.text || this.#cached.version !== version) {
      this.#cached = { filter: filter.text, version, ids: filter.select(ctx.store.people) };
    }
    const delta = wantsDelta ? { client, scope: { kind: 'people' as const, filter: filter.text } } : undefined;
    return listAnswer(ctx, req, this.#cached.ids, (id) => renderPerson(ctx.store.people.get(id)!), delta);
  }
}
