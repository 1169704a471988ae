import { OPEN_END, OPEN_START, parseOptionalDay } from '../core/day.js';
import { PtgwError } from '../core/errors.js';
import type { Person, Restriction, Usage } from '../core/model.js';
import type { DefinitionRecord } from '../cache/syncBatch.js';
import type { ApiDefinition, ApiPerson } from './schemas.js';
import type { z } from 'zod';
import type { restrictionSchema, usageSchema } from './schemas.js';

type ApiUsage = z.infer<typeof usageSchema>;
type ApiRestriction = z.infer<typeof restrictionSchema>;

function day(text: string | null | undefined, open: number, field: string): number {
  const d = parseOptionalDay(text, open);
  if (d === undefined) throw new PtgwError('SYNC_MALFORMED_RESPONSE', `Protime sent an impossible date "${text}" in ${field}.`, { field });
  return d;
}

export function toUsages(definitionId: string, usages: readonly ApiUsage[]): Usage[] {
  return usages.map((u) => ({
    definitionId,
    kind: u.activityUsageKind,
    reference: u.usageReference.id,
    from: day(u.from, OPEN_START, `the usages of ${definitionId}`),
    until: day(u.until, OPEN_END, `the usages of ${definitionId}`),
  }));
}

export function toRestrictions(definitionId: string, restrictions: readonly ApiRestriction[]): Restriction[] {
  return restrictions.map((r) => ({ definitionId, level: r.level, allowed: r.activityDefinitions.map((a) => a.id) }));
}

/** An API definition (with usages and restrictions already at hand) as the cache stores it. */
export function toDefinitionRecord(
  d: ApiDefinition,
  structureVersion: string,
  level: number,
  usages: readonly ApiUsage[],
  restrictions: readonly ApiRestriction[],
): DefinitionRecord {
  return {
    definition: {
      id: d.id,
      structureVersion: d.structureVersion ?? structureVersion,
      level: d.level ?? level,
      parentId: d.parent?.id ?? undefined,
      dataEntryCode: d.dataEntryCode ?? undefined,
      shortCode: d.shortCode ?? undefined,
      externalReference: d.externalReference ?? undefined,
      name: { default: d.name.default, translations: d.name.translations ?? {} },
      info: d.info ?? undefined,
      activeFrom: day(d.activeFrom, OPEN_START, `activeFrom of ${d.id}`),
      activeUntil: day(d.activeUntil, OPEN_END, `activeUntil of ${d.id}`),
      changeVersion: d.changeVersion,
    },
    usages: toUsages(d.id, usages),
    restrictions: toRestrictions(d.id, restrictions),
  };
}

export function toPerson(p: ApiPerson, groups: readonly number[], circles: readonly number[]): Person {
  const badges = [...(p.badgeNumbers ?? []), ...(p.badgeNumber === undefined || p.badgeNumber === null || p.badgeNumber === '' ? [] : [p.badgeNumber])];
  return {
    id: p.id,
    badges: [...new Set(badges)],
    groups,
    circles,
    inService: day(p.inServiceDate, OPEN_START, `inServiceDate of person ${p.id}`),
    outOfService: day(p.outOfServiceDate, OPEN_END, `outOfServiceDate of person ${p.id}`),
    changeVersion: p.changeVersion,
  };
}
