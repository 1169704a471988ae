import { isCalendarDate } from './calendarDate.js';
import { badRequest } from './ProblemError.js';
import type { StoredClocking } from './SimStore.js';

type Predicate = (c: StoredClocking) => boolean;

const COMPARE: Record<string, (a: string, b: string) => boolean> = {
  eq: (a, b) => a === b,
  ge: (a, b) => a >= b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  lt: (a, b) => a < b,
};

/**
 * `GET /clockings` filter, as the gateway uses it to check whether an ambiguous send arrived:
 * `person in (1234)`, `person eq 1234`, `date ge|le|gt|lt|eq 'YYYY-MM-DD'`, joined by `and`.
 */
export function parseClockingFilter(text: string | null): Predicate {
  if (text === null || text.trim() === '') throw badRequest('filter', "The clockings collection requires a filter, e.g. filter=person in (1234) and date ge '2025-03-01'.");
  const terms = text.trim().split(/\s+and\s+/i).map(parseTerm);
  return (c) => terms.every((t) => t(c));
}

function parseTerm(term: string): Predicate {
  let m = /^person\s+eq\s+(-?\d+)$/i.exec(term);
  if (m !== null) {
    const id = Number(m[1]);
    return (c) => c.person.id === id;
  }
  m = /^person\s+in\s*\(([-\d\s,]+)\)$/i.exec(term);
  if (m !== null) {
    const ids = new Set(m[1]!.split(',').map((s) => Number(s.trim())));
    if ([...ids].some((id) => !Number.isInteger(id))) throw badRequest('filter', `The filter term "${term}" needs a comma-separated list of integers.`);
    return (c) => ids.has(c.person.id);
  }
  m = /^date\s+(eq|ge|le|gt|lt)\s+'([^']*)'$/i.exec(term);
  if (m !== null && isCalendarDate(m[2]!)) {
    const compare = COMPARE[m[1]!.toLowerCase()]!;
    const date = m[2]!;
    return (c) => compare(c.date, date);
  }
  throw badRequest('filter', `Unsupported filter term "${term}"; supported: person in (…), person eq N, date ge|le|gt|lt|eq 'YYYY-MM-DD'.`);
}
