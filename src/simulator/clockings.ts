import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseClockingFilter } from './clockingFilter.js';
import type { DefinitionRecord, DefinitionRefKind } from './DefinitionRecord.js';
import { parseExternalReferences, resolvePerson, type ExternalReferences } from './externalReferences.js';
import { dateSchema } from './fixtureSchema.js';
import { listAnswer } from './listAnswer.js';
import { API_BASE } from './paging.js';
import { badRequest, notFound, type SimResponse } from './ProblemError.js';
import { parseBody, readJson } from './requestBody.js';
import type { ApiRequest, SimContext } from './SimContext.js';
import type { StoredClocking } from './SimStore.js';

/** Ids are numbers, or strings when an external reference is used (a badge may be sent as a number). */
const ref = z.union([z.number().int(), z.string().min(1)]);
const bodySchema = z.object({
  person: z.object({ id: ref }),
  date: dateSchema,
  timeOfDayInMinutes: z.number().int().min(-1440).max(2880),
  terminal: z.object({ id: ref }),
  kind: z.enum(['InOut', 'Reason', 'Activity', 'ActivityEnd']),
  activityLevels: z.array(z.object({ level: z.number().int().min(1), activityDefinition: z.object({ id: z.string().min(1) }) })).optional(),
});

/**
 * `POST /clockings`: validates like upstream's assignment validation (existing person and
 * terminal; for Activity, definitions that exist on their levels, come from one structure
 * version and respect the parent hierarchy), stores the clocking and answers 201 + Location.
 */
export function postClocking(ctx: SimContext, req: ApiRequest): SimResponse {
  const refs = parseExternalReferences(req.query.get('externalReferences'));
  const body = parseBody(bodySchema, readJson(req.body));
  const clocking: StoredClocking = {
    id: randomUUID(),
    person: { id: resolvePerson(ctx, refs, body.person.id, 'person.id') },
    date: body.date,
    timeOfDayInMinutes: body.timeOfDayInMinutes,
    terminal: { id: resolveTerminal(ctx, refs, body.terminal.id) },
    kind: body.kind,
  };
  const levels = body.activityLevels ?? [];
  if (body.kind === 'Activity') {
    clocking.activityLevels = resolveActivityLevels(ctx, refs.definitions, levels).map((d) => ({ level: d.level, activityDefinition: { id: d.id } }));
  } else if (levels.length > 0) {
    throw badRequest('activityLevels', `activityLevels belong to Activity clockings, not to kind ${body.kind}.`);
  }
  ctx.store.clockings.push(clocking);
  return { status: 201, headers: { location: `${API_BASE}/clockings/${clocking.id}` }, body: clocking };
}

/** `GET /clockings?filter=…` (filter required) and `GET /clockings/{id}`. */
export function getClockings(ctx: SimContext, req: ApiRequest, id: string | undefined): SimResponse {
  if (id !== undefined) {
    const found = ctx.store.clockings.find((c) => c.id === id);
    if (found === undefined) throw notFound(`No clocking ${id}.`);
    return { status: 200, body: found };
  }
  const matches = parseClockingFilter(req.query.get('filter'));
  return listAnswer(ctx, req, ctx.store.clockings.filter(matches), (c) => c, undefined);
}

function resolveTerminal(ctx: SimContext, refs: ExternalReferences, id: number | string): number {
  const terminal = refs.terminals === '@external-code' ? ctx.store.terminalByExternalCode(String(id)) : typeof id === 'number' ? ctx.store.terminal(id) : undefined;
  if (terminal === undefined) throw badRequest('terminal.id', `No terminal ${refs.terminals === undefined ? 'with id' : 'with external code'} ${id}.`);
  return terminal.id;
}

function resolveActivityLevels(ctx: SimContext, kind: DefinitionRefKind, levels: { level: number; activityDefinition: { id: string } }[]): DefinitionRecord[] {
  if (levels.length === 0) throw badRequest('activityLevels', 'An Activity clocking needs at least one activity level.');
  const seen = new Set<number>();
  // Candidates per entry, one per structure version that knows the reference on that level.
  const candidates = levels.map((entry, i) => {
    if (seen.has(entry.level)) throw badRequest(`activityLevels[${i}].level`, `Level ${entry.level} appears twice.`);
    seen.add(entry.level);
    const found = ctx.store.definitions
      .structureVersions()
      .map((sv) => ctx.store.definitions.list(sv.id, entry.level)?.find(kind, entry.activityDefinition.id))
      .filter((d): d is DefinitionRecord => d !== undefined);
    if (found.length === 0) throw badRequest(`activityLevels[${i}].activityDefinition.id`, `No activity definition ${entry.activityDefinition.id} on level ${entry.level}.`);
    return found;
  });
  const structureVersion = candidates[0]!.map((d) => d.structureVersion).find((sv) => candidates.every((c) => c.some((d) => d.structureVersion === sv)));
  if (structureVersion === undefined) throw badRequest('activityLevels', 'The activity definitions do not all belong to the same activity structure version.');
  const chosen = candidates.map((c) => c.find((d) => d.structureVersion === structureVersion)!);
  const byLevel = new Map(chosen.map((d) => [d.level, d]));
  chosen.forEach((d, i) => {
    const above = byLevel.get(d.level - 1);
    if (d.parentId !== undefined && above !== undefined && above.id !== d.parentId) {
      throw badRequest(`activityLevels[${i}].activityDefinition.id`, `Activity definition ${d.id} on level ${d.level} is not below ${above.id} chosen on level ${d.level - 1}.`);
    }
  });
  return chosen;
}
