import { getClockings, postClocking } from './clockings.js';
import { deltaRead } from './deltaRead.js';
import { getDefinition, listDefinitions } from './definitionReads.js';
import { putDefinition } from './definitionPut.js';
import type { PeopleList } from './peopleList.js';
import { notFound, ProblemError, type SimResponse } from './ProblemError.js';
import { putRestrictions } from './restrictionsPut.js';
import { SCOPES, type ApiRequest, type SimContext } from './SimContext.js';
import { writeUsage } from './usageWrites.js';

/** Takes the id of the API client whose token authorized the call (deltas are per client). */
type Handler = (client: string) => SimResponse;
/** Method → [scopes of which the token needs one, handler]. */
type Methods = Record<string, [readonly string[], Handler]>;

const DEFINITIONS_READ = [SCOPES.definitionsRead, SCOPES.definitionsWrite];
const DEFINITIONS_WRITE = [SCOPES.definitionsWrite];
const CLOCKINGS_READ = [SCOPES.clockingsRead, SCOPES.clockingsWrite];

/** Dispatches a request below the API base: route, then bearer token and scope, then handler. */
export function routeApi(ctx: SimContext, people: PeopleList, req: ApiRequest): SimResponse {
  const methods = routes(ctx, people, req);
  if (methods === undefined) throw notFound(`No API endpoint at ${req.pathname}.`);
  const route = methods[req.method];
  if (route === undefined) throw new ProblemError(405, `${req.method} is not supported on ${req.pathname}.`, undefined, { allow: Object.keys(methods).join(', ') });
  return route[1](ctx.tokens.authorize(req.headers.authorization, route[0]));
}

function routes(ctx: SimContext, people: PeopleList, req: ApiRequest): Methods | undefined {
  const s = req.segments;
  if (s[0] === 'activity-structure-versions' && s[2] === 'levels' && s[4] === 'activity-definitions' && s.length >= 5 && s.length <= 7) {
    const sv = s[1]!;
    const level = s[3]!;
    const ref = s[5];
    if (ref === undefined) return { GET: [DEFINITIONS_READ, (client) => listDefinitions(ctx, req, client, sv, level)] };
    if (s.length === 6) {
      return {
        GET: [DEFINITIONS_READ, () => getDefinition(ctx, req, sv, level, ref, 'definition')],
        PUT: [DEFINITIONS_WRITE, () => putDefinition(ctx, req, sv, level, ref)],
      };
    }
    if (s[6] === 'usages') {
      const write: [readonly string[], Handler] = [DEFINITIONS_WRITE, () => writeUsage(ctx, req, sv, level, ref)];
      return { GET: [DEFINITIONS_READ, () => getDefinition(ctx, req, sv, level, ref, 'usages')], POST: write, PUT: write, DELETE: write };
    }
    if (s[6] === 'restrictions') {
      return {
        GET: [DEFINITIONS_READ, () => getDefinition(ctx, req, sv, level, ref, 'restrictions')],
        PUT: [DEFINITIONS_WRITE, () => putRestrictions(ctx, req, sv, level, ref)],
      };
    }
    return undefined;
  }
  if (s.length === 2 && s[0] === 'delta' && s[1] === 'activity-definitions') return { GET: [DEFINITIONS_READ, (client) => deltaRead(ctx, req, client, 'activity-definitions')] };
  if (s.length === 2 && s[0] === 'delta' && s[1] === 'people') return { GET: [[SCOPES.peopleRead], (client) => deltaRead(ctx, req, client, 'people')] };
  if (s.length === 1 && s[0] === 'people') return { GET: [[SCOPES.peopleRead], (client) => people.answer(ctx, req, client)] };
  if (s[0] === 'clockings' && s.length === 1) {
    return { GET: [CLOCKINGS_READ, () => getClockings(ctx, req, undefined)], POST: [[SCOPES.clockingsWrite], () => postClocking(ctx, req)] };
  }
  if (s[0] === 'clockings' && s.length === 2) return { GET: [CLOCKINGS_READ, () => getClockings(ctx, req, s[1])] };
  return undefined;
}
