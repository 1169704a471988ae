import { parseDay } from '../core/day.js';
import { isPtgwError } from '../core/errors.js';
import { lookupDialog, lookupLevels, type LookupResult } from '../core/lookup.js';
import type { HttpDeps } from './HttpDeps.js';

export class BadRequest extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LookupQuery {
  badge?: string;
  codes?: string;
  date?: string;
  structureVersion?: string;
  levels?: string;
}

/** `/api/lookup` and the status page's form: the same decision as `ptgw lookup`, from the live index. */
export function runLookup(deps: HttpDeps, query: LookupQuery): LookupResult {
  // A query string may repeat a parameter (?codes=1&codes=2): the framework then hands over an array.
  for (const [field, value] of Object.entries(query)) {
    if (value !== undefined && typeof value !== 'string') throw new BadRequest(field, `${field} was given more than once; give it once.`);
  }
  const q = query;
  if (q.badge === undefined || q.badge === '') throw new BadRequest('badge', 'badge is required.');
  if (q.codes === undefined || q.codes === '') throw new BadRequest('codes', 'codes is required: the codes typed, separated by commas.');
  const codes = q.codes.split(',').map((c) => c.trim());
  // A stray comma ("1,100,") would otherwise be decided as a code typed empty and read as UNKNOWN_CODE.
  if (codes.includes('')) throw new BadRequest('codes', `codes must be the codes typed, separated by commas, none of them empty (got "${q.codes}").`);
  let date = deps.calendar.localTime(deps.now()).day;
  if (q.date !== undefined && q.date !== '') {
    const d = parseDay(q.date);
    if (d === undefined || q.date.length !== 10) throw new BadRequest('date', `date must be a calendar date like 2025-03-04 (got "${q.date}").`);
    date = d;
  }
  const defaults = lookupDefaults(deps, q.structureVersion || undefined);
  const structureVersion = defaults.structureVersion;
  if (structureVersion === undefined) throw new BadRequest('structureVersion', 'structureVersion is required: no terminal or structure version is configured.');
  const levels = lookupLevels(q.levels === '' ? undefined : q.levels, defaults.levels, codes.length);
  if (levels === undefined) throw new BadRequest('levels', `levels must be increasing level numbers separated by commas, like 1,2,3 (got "${q.levels}").`);
  return lookupDialog(deps.index(), { structureVersion, levels, badge: q.badge, date, codes, language: defaults.language }, { noUsagePolicy: deps.noUsagePolicy });
}

/** The app's defaults, with its refusal of an argument (a structure version not configured) as a 400. */
function lookupDefaults(deps: HttpDeps, structureVersion: string | undefined): ReturnType<HttpDeps['lookupDefaults']> {
  try {
    return deps.lookupDefaults(structureVersion);
  } catch (err) {
    if (isPtgwError(err) && err.code === 'INVALID_ARGUMENT') throw new BadRequest(err.field ?? 'structureVersion', err.message);
    throw err;
  }
}
