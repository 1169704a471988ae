import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { utcDate } from './calendarDate.js';
import type { DefinitionRecord, DefinitionRefKind } from './DefinitionRecord.js';
import { parseExternalReferences } from './externalReferences.js';
import { dateSchema, type FixtureDefinition, type FixtureUsage } from './fixtureSchema.js';
import type { LevelList } from './LevelList.js';
import { API_BASE } from './paging.js';
import { badRequest, notFound, type SimResponse } from './ProblemError.js';
import { renderDefinition } from './render.js';
import { parseBody, readJson } from './requestBody.js';
import { describeRef, resolveLevel } from './resolveDefinition.js';
import type { ApiRequest, SimContext } from './SimContext.js';

/** Empty strings and null both mean "no value" — a PUT clears what it does not carry. */
const text = z
  .string()
  .nullish()
  .transform((s) => (s === '' || s === null ? undefined : s));
const openDate = z
  .union([dateSchema, z.literal(''), z.null()])
  .optional()
  .transform((d) => (d === '' || d === null ? undefined : d));

const bodySchema = z.object({
  name: z.object({ default: text, translations: z.record(z.string(), z.string()).nullish() }).nullish(),
  parent: z.object({ id: text }).nullish(),
  shortCode: text,
  dataEntryCode: text,
  externalReference: text,
  info: text,
  activeFrom: openDate,
  activeUntil: openDate,
  // Read-only upstream: accepted and ignored.
  changeVersion: z.unknown().optional(),
});
type Body = z.output<typeof bodySchema>;

/**
 * `PUT …/activity-definitions/{ref}` with the semantics of seed page 002: an external reference
 * creates when nothing matches, an internal id only updates (else 404); the body replaces the
 * definition (fields left out are cleared); the parent is set at creation and can never change.
 */
export function putDefinition(ctx: SimContext, req: ApiRequest, structureVersion: string, levelText: string, ref: string): SimResponse {
  const { structure, list } = resolveLevel(ctx, structureVersion, levelText);
  const refKind = parseExternalReferences(req.query.get('externalReferences')).definitions;
  const body = parseBody(bodySchema, readJson(req.body));
  const name = body.name?.default;
  if (name === undefined) throw badRequest('name.default', 'name.default is required.');
  if (body.activeFrom !== undefined && body.activeUntil !== undefined && body.activeUntil < body.activeFrom) {
    throw badRequest('activeUntil', `activeUntil ${body.activeUntil} lies before activeFrom ${body.activeFrom}.`);
  }
  const existing = list.find(refKind, ref);
  if (existing === undefined && refKind.kind === 'id') {
    throw notFound(`No activity definition ${describeRef(refKind, ref)} on level ${list.level}; definitions are created only through an external reference.`);
  }
  const parentId = resolveParent(ctx, list, body.parent?.id, refKind);
  if (existing !== undefined) checkParentUnchanged(existing, parentId);

  const dataEntryCode = chooseDataEntryCode(ctx, list, body, existing, refKind, ref);
  const externalReference = body.externalReference ?? (existing === undefined && refKind.kind === 'external-reference' ? ref : undefined);
  if (existing === undefined && refKind.kind === 'external-reference' && externalReference !== ref) {
    throw badRequest('externalReference', `externalReference "${externalReference}" differs from the reference "${ref}" the definition is created through.`);
  }
  checkCode(list, 'dataEntryCode', dataEntryCode, existing);
  checkCode(list, 'externalReference', externalReference, existing);

  const created = existing === undefined;
  const definition: FixtureDefinition = {
    id: existing?.id ?? randomUUID(),
    structureVersion: structure.id,
    level: list.level,
    name: { default: name, translations: body.name?.translations ?? {} },
    parent: parentId === undefined ? undefined : { id: parentId },
    shortCode: body.shortCode,
    dataEntryCode,
    externalReference,
    info: body.info,
    activeFrom: body.activeFrom,
    activeUntil: body.activeUntil,
    customReferences: existing?.customReferences ?? (refKind.kind === 'custom' ? { [refKind.key]: ref } : {}),
    usages: existing?.usages ?? defaultUsages(ctx, structure.defaultUsage, list.level, body.activeFrom),
    restrictions: existing?.restrictions ?? [],
  };
  const record = ctx.store.definitions.upsert(definition);
  const rendered = renderDefinition(record, structure.levels, { usages: false, restrictions: false });
  if (!created) return { status: 200, body: rendered };
  const location = `${API_BASE}/activity-structure-versions/${encodeURIComponent(structure.id)}/levels/${list.level}/activity-definitions/${encodeURIComponent(record.id)}`;
  return { status: 201, headers: { location }, body: rendered };
}

/**
 * `parent.id` names a definition on the level above: its internal id, or an external reference
 * read the way the request reads its own reference, or its externalReference field.
 */
function resolveParent(ctx: SimContext, list: LevelList, parentRef: string | undefined, refKind: DefinitionRefKind): string | undefined {
  if (parentRef === undefined) return undefined;
  if (list.level === 1) throw badRequest('parent.id', 'A definition on level 1 cannot have a parent: there is no level above.');
  const above = ctx.store.definitions.list(list.structureVersion, list.level - 1)!;
  const parent = above.find({ kind: 'id' }, parentRef) ?? (refKind.kind === 'id' ? undefined : above.find(refKind, parentRef)) ?? above.find({ kind: 'external-reference' }, parentRef);
  if (parent === undefined) throw badRequest('parent.id', `The parent "${parentRef}" is not an activity definition on level ${list.level - 1} of this structure version.`);
  return parent.id;
}

function checkParentUnchanged(existing: DefinitionRecord, parentId: string | undefined): void {
  if (existing.parentId === parentId) return;
  if (parentId === undefined) throw badRequest('parent.id', `This activity definition has parent ${existing.parentId}; the request must include it.`);
  if (existing.parentId === undefined) throw badRequest('parent.id', 'The parent can only be set when an activity definition is created.');
  throw badRequest('parent.id', `The parent of an activity definition cannot change (it is ${existing.parentId}); end-date it and create a new one instead.`);
}

/**
 * Manual mode: the body must carry the code, whatever the reference (seed 002: "It cannot be null
 * or omitted"). Auto mode: a creation through @data-entry-code takes the reference, an update
 * keeps the code Protime generated, any other creation gets a fresh one.
 */
function chooseDataEntryCode(ctx: SimContext, list: LevelList, body: Body, existing: DefinitionRecord | undefined, refKind: DefinitionRefKind, ref: string): string | undefined {
  const creatingByCode = existing === undefined && refKind.kind === 'data-entry-code';
  if (creatingByCode && body.dataEntryCode !== undefined && body.dataEntryCode !== ref) {
    throw badRequest('dataEntryCode', `dataEntryCode "${body.dataEntryCode}" differs from the data entry code "${ref}" the definition is created through.`);
  }
  if (body.dataEntryCode !== undefined) return body.dataEntryCode;
  if (ctx.fixture.dataEntryCodeMode === 'manual') throw badRequest('dataEntryCode', 'dataEntryCode is required: this tenant enters data entry codes manually.');
  if (creatingByCode) return ref;
  if (existing?.dataEntryCode !== undefined) return existing.dataEntryCode;
  for (let n = list.items.length + 1; ; n++) if (list.find({ kind: 'data-entry-code' }, String(n)) === undefined) return String(n);
}

function checkCode(list: LevelList, field: 'dataEntryCode' | 'externalReference', value: string | undefined, existing: DefinitionRecord | undefined): void {
  if (value === undefined) return;
  if (value.length > 16) throw badRequest(field, `${field} "${value}" is longer than 16 characters.`);
  const holder = list.find(field === 'dataEntryCode' ? { kind: 'data-entry-code' } : { kind: 'external-reference' }, value);
  if (holder !== undefined && holder.id !== existing?.id) {
    throw badRequest(field, `${field} "${value}" is already used by activity definition ${holder.id} on level ${list.level}.`);
  }
}

/** Top-level creations get an open-ended Group usage per group the structure is assigned to. */
function defaultUsages(ctx: SimContext, defaults: { enabled: boolean; groups: number[] }, level: number, activeFrom: string | undefined): FixtureUsage[] {
  if (level !== 1 || !defaults.enabled) return [];
  const from = activeFrom ?? utcDate(ctx.now());
  return defaults.groups.map((id) => ({ activityUsageKind: 'Group', usageReference: { id }, from, until: undefined }));
}
