import type { PeopleStore, PersonRecord } from './PeopleStore.js';
import { badRequest } from './ProblemError.js';

interface Term {
  /** The people this term can match, straight from an index. */
  candidates(people: PeopleStore): Iterable<number>;
  matches(person: PersonRecord): boolean;
}

/** A parsed `GET /people` filter: terms joined by `and`. */
export interface PeopleFilter {
  text: string;
  matches(person: PersonRecord): boolean;
  /** Ids of the matching people, ascending (the listing order). */
  select(people: PeopleStore): number[];
}

/**
 * The filter terms the gateway uses: `id eq N`, `id in (1,2)`, `person in circle(13,14)` and
 * `person in org-tree(5)` (group membership, flat), joined by `and`. Anything else is a 400
 * naming the term, as the filter is required on this collection.
 */
export function parsePeopleFilter(text: string | null): PeopleFilter {
  if (text === null || text.trim() === '') throw badRequest('filter', 'The people collection requires a filter, e.g. filter=id in (1,2).');
  const terms = text.trim().split(/\s+and\s+/i).map(parseTerm);
  const matches = (p: PersonRecord): boolean => terms.every((t) => t.matches(p));
  return {
    text,
    matches,
    select(people) {
      // Walk the smallest index and check the other terms on each person found.
      const sets = terms.map((t) => [...t.candidates(people)]);
      const smallest = sets.reduce((a, b) => (b.length < a.length ? b : a));
      const ids = [...new Set(smallest)].filter((id) => {
        const p = people.get(id);
        return p !== undefined && matches(p);
      });
      return ids.sort((a, b) => a - b);
    },
  };
}

function parseTerm(term: string): Term {
  let m = /^id\s+eq\s+(-?\d+)$/i.exec(term);
  if (m !== null) {
    const id = Number(m[1]);
    return { candidates: () => [id], matches: (p) => p.id === id };
  }
  m = /^id\s+in\s*\(([^()]*)\)$/i.exec(term);
  if (m !== null) {
    const ids = new Set(numberList(m[1]!, term));
    return { candidates: () => ids, matches: (p) => ids.has(p.id) };
  }
  m = /^person\s+in\s+(circle|org-tree)\s*\(([^()]*)\)$/i.exec(term);
  if (m !== null) {
    const keys = numberList(m[2]!, term);
    if (m[1]!.toLowerCase() === 'circle') {
      return { candidates: (people) => keys.flatMap((c) => [...people.inCircle(c)]), matches: (p) => p.circles.some((c) => keys.includes(c)) };
    }
    return { candidates: (people) => keys.flatMap((g) => [...people.inGroup(g)]), matches: (p) => p.groups.some((g) => keys.includes(g)) };
  }
  throw badRequest('filter', `Unsupported filter term "${term}"; supported: id eq N, id in (…), person in circle(…), person in org-tree(…).`);
}

function numberList(list: string, term: string): number[] {
  const parts = list.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((s) => !/^-?\d+$/.test(s))) throw badRequest('filter', `The filter term "${term}" needs a comma-separated list of integers.`);
  return parts.map(Number);
}
