import { formatChangeVersion } from './ChangeCounter.js';
import type { DefinitionRecord } from './DefinitionRecord.js';
import type { FixtureUsage } from './fixtureSchema.js';
import type { PersonRecord } from './PeopleStore.js';
import { badRequest } from './ProblemError.js';

export interface Expand {
  usages: boolean;
  restrictions: boolean;
}

/** `?expand=usage,restrictions` (either or both); anything else is a 400 naming `expand`. */
export function parseExpand(value: string | null): Expand {
  const expand = { usages: false, restrictions: false };
  if (value === null) return expand;
  for (const part of value.split(',').map((p) => p.trim())) {
    if (part === 'usage') expand.usages = true;
    else if (part === 'restrictions') expand.restrictions = true;
    else throw badRequest('expand', `Unknown expand option "${part}"; use usage and/or restrictions.`);
  }
  return expand;
}

/**
 * A definition as the API lists it. Absent dates are left out; absent texts are null (inferred).
 * `canConfigureRestrictions` is inferred as "the structure has another level to restrict".
 */
export function renderDefinition(d: DefinitionRecord, levels: number, expand: Expand): Record<string, unknown> {
  return {
    id: d.id,
    structureVersion: d.structureVersion,
    level: d.level,
    changeVersion: formatChangeVersion(d.changeVersion),
    canConfigureRestrictions: levels > 1,
    name: { default: d.name.default, translations: { ...d.name.translations } },
    ...(d.parentId === undefined ? {} : { parent: { id: d.parentId } }),
    shortCode: d.shortCode ?? null,
    dataEntryCode: d.dataEntryCode ?? null,
    externalReference: d.externalReference ?? null,
    info: d.info ?? null,
    ...(d.activeFrom === undefined ? {} : { activeFrom: d.activeFrom }),
    ...(d.activeUntil === undefined ? {} : { activeUntil: d.activeUntil }),
    ...(expand.usages ? { usages: d.usages.map(renderUsage) } : {}),
    ...(expand.restrictions ? { restrictions: renderRestrictions(d) } : {}),
  };
}

export function renderUsage(u: FixtureUsage): Record<string, unknown> {
  return { activityUsageKind: u.activityUsageKind, usageReference: { id: u.usageReference.id }, from: u.from, ...(u.until === undefined ? {} : { until: u.until }) };
}

function renderRestrictions(d: DefinitionRecord): Record<string, unknown>[] {
  return d.restrictions.map((r) => ({ level: r.level, activityDefinitions: r.activityDefinitions.map((a) => ({ id: a.id })) }));
}

/** `GET .../{ref}/usages` */
export function renderUsagesAnswer(d: DefinitionRecord): Record<string, unknown> {
  return { changeVersion: formatChangeVersion(d.changeVersion), activityDefinition: { id: d.id }, usages: d.usages.map(renderUsage) };
}

/** `GET .../{ref}/restrictions` */
export function renderRestrictionsAnswer(d: DefinitionRecord): Record<string, unknown> {
  return { changeVersion: formatChangeVersion(d.changeVersion), activityDefinition: { id: d.id }, restrictions: renderRestrictions(d) };
}

/**
 * A person as `GET /people` lists them. The shape is inferred (Protime documents names, employee
 * number and service dates; the badge is otherwise reachable only as the @badge-number reference):
 * `{id, changeVersion, firstName, lastName, employeeNumber, badgeNumber, inServiceDate,
 * outOfServiceDate}`, with null for absent values (an open service period ends in null).
 */
export function renderPerson(p: PersonRecord): Record<string, unknown> {
  return {
    id: p.id,
    changeVersion: formatChangeVersion(p.changeVersion),
    firstName: p.firstName ?? null,
    lastName: p.lastName ?? null,
    employeeNumber: p.employeeNumber ?? null,
    badgeNumber: p.badgeNumber ?? null,
    inServiceDate: p.inServiceDate ?? null,
    outOfServiceDate: p.outOfServiceDate ?? null,
  };
}
