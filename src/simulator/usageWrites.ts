import { z } from 'zod';
import { rangesOverlap } from './calendarDate.js';
import type { DefinitionRecord } from './DefinitionRecord.js';
import { parseExternalReferences, resolvePerson, type ExternalReferences } from './externalReferences.js';
import { dateSchema, usageKindSchema, type FixtureUsage } from './fixtureSchema.js';
import { badRequest, notFound, type SimResponse } from './ProblemError.js';
import { renderUsagesAnswer } from './render.js';
import { parseBody, readJson } from './requestBody.js';
import { findDefinition, resolveLevel } from './resolveDefinition.js';
import type { ApiRequest, SimContext } from './SimContext.js';

/**
 * `until` and `updatedUntil`: absent or "" is open-ended (seeds 000, 001). Only the documented
 * forms are taken (no null), so that a client sending anything else is caught in tests.
 */
const until = z
  .union([dateSchema, z.literal('')])
  .optional()
  .transform((d) => (d === '' ? undefined : d));
/** `originalUntil` is the stored end date; an open-ended usage is named by leaving it out (seed 000), not by "". */
const originalUntil = dateSchema.optional();
const who = { activityUsageKind: usageKindSchema, usageReference: z.object({ id: z.number().int() }) };
const createSchema = z.object({ ...who, from: dateSchema, until });
const updateSchema = z.object({ ...who, originalFrom: dateSchema, originalUntil, updatedFrom: dateSchema, updatedUntil: until });

/**
 * `POST|PUT|DELETE …/activity-definitions/{ref}/usages` (seeds 000 and 001). A usage is
 * identified by kind, reference and its exact dates; usages of the same (definition, kind,
 * reference) may not overlap.
 */
export function writeUsage(ctx: SimContext, req: ApiRequest, structureVersion: string, levelText: string, ref: string): SimResponse {
  const { list } = resolveLevel(ctx, structureVersion, levelText);
  const refs = parseExternalReferences(req.query.get('externalReferences'));
  const definition = findDefinition(list, refs.definitions, ref);
  const json = readJson(req.body);
  if (req.method === 'POST') {
    const body = parseBody(createSchema, json);
    const usage: FixtureUsage = { activityUsageKind: body.activityUsageKind, usageReference: { id: referencedId(ctx, refs, body) }, from: body.from, until: body.until };
    checkRange(usage, 'until');
    checkNoOverlap(definition, usage, undefined, 'from');
    ctx.store.definitions.setUsages(definition, [...definition.usages, usage]);
    return { status: 201, body: renderUsagesAnswer(definition) };
  }
  if (req.method === 'PUT') {
    const body = parseBody(updateSchema, json);
    const original = findUsage(definition, { activityUsageKind: body.activityUsageKind, usageReference: { id: referencedId(ctx, refs, body) }, from: body.originalFrom, until: body.originalUntil });
    const updated: FixtureUsage = { activityUsageKind: body.activityUsageKind, usageReference: { id: referencedId(ctx, refs, body) }, from: body.updatedFrom, until: body.updatedUntil };
    checkRange(updated, 'updatedUntil');
    checkNoOverlap(definition, updated, original, 'updatedFrom');
    ctx.store.definitions.setUsages(
      definition,
      definition.usages.map((u) => (u === original ? updated : u)),
    );
    return { status: 200, body: renderUsagesAnswer(definition) };
  }
  const body = parseBody(createSchema, json);
  const doomed = findUsage(definition, { ...body, usageReference: { id: referencedId(ctx, refs, body) } });
  ctx.store.definitions.setUsages(
    definition,
    definition.usages.filter((u) => u !== doomed),
  );
  return { status: 204 };
}

/** A Person usage may name its person by a `(people,…)` key; groups and circles only by id. */
function referencedId(ctx: SimContext, refs: ExternalReferences, body: { activityUsageKind: string; usageReference: { id: number } }): number {
  if (body.activityUsageKind !== 'Person' || refs.people === undefined) return body.usageReference.id;
  return resolvePerson(ctx, refs, body.usageReference.id, 'usageReference.id');
}

function findUsage(definition: DefinitionRecord, wanted: FixtureUsage): FixtureUsage {
  const found = definition.usages.find(
    (u) => u.activityUsageKind === wanted.activityUsageKind && u.usageReference.id === wanted.usageReference.id && u.from === wanted.from && u.until === wanted.until,
  );
  if (found === undefined) throw notFound(`Activity definition ${definition.id} has no ${describe(wanted)}.`);
  return found;
}

function checkRange(usage: FixtureUsage, field: string): void {
  if (usage.until !== undefined && usage.until < usage.from) throw badRequest(field, `${field} ${usage.until} lies before the start ${usage.from}.`);
}

function checkNoOverlap(definition: DefinitionRecord, usage: FixtureUsage, except: FixtureUsage | undefined, field: string): void {
  const conflict = definition.usages.find(
    (u) => u !== except && u.activityUsageKind === usage.activityUsageKind && u.usageReference.id === usage.usageReference.id && rangesOverlap(u, usage),
  );
  if (conflict !== undefined) {
    throw badRequest(field, `The period overlaps the existing ${describe(conflict)}; adjust or delete that usage first.`);
  }
}

function describe(u: FixtureUsage): string {
  return `${u.activityUsageKind} ${u.usageReference.id} usage from ${u.from} ${u.until === undefined ? '(open-ended)' : `until ${u.until}`}`;
}
