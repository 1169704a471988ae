import { formatOptionalDay, OPEN_END, OPEN_START, parseOptionalDay, type Day } from './day.js';
import { printable } from './input.js';
import type { Usage, UsageKind } from './model.js';

/**
 * The checks an admin write passes locally, against the cache, before anything is sent to
 * Protime: the errors the seed pages document, found without a round trip and explained.
 */
export interface WriteProblem {
  /** The request field at fault, as the API names it (`name.default`, `usageReference.id`, …). */
  field: string;
  message: string;
  /** 404 when the thing written to does not exist; 400 otherwise. */
  status: 400 | 404 | 409;
}

const MAX_CODE = 16;

const bad = (field: string, message: string): WriteProblem => ({ field, message, status: 400 });

export interface DefinitionWrite {
  name: string | undefined;
  parentId: string | undefined;
  dataEntryCode: string | undefined;
  externalReference: string | undefined;
  activeFrom: string | undefined;
  activeUntil: string | undefined;
}

export interface DefinitionWriteContext {
  level: number;
  /** The definition the reference names, when the cache knows it. */
  existing: { id: string; parentId: string | undefined } | undefined;
  /** True when the reference is an internal id (update only: unknown means 404). */
  byInternalId: boolean;
  /** The definition on this (structure version, level) holding a data entry code / external reference. */
  codeOwner: (code: string) => string | undefined;
  externalReferenceOwner: (ref: string) => string | undefined;
  /**
   * The internal id of the definition on the level above that `parent.id` names (seed 002: an
   * internal id, or an external reference), undefined when none does, 'unknown' when the cache
   * cannot tell (a custom reference key, which is not synced): Protime then decides alone.
   */
  resolveParent: (ref: string) => string | undefined | 'unknown';
  /** The tenant requires integrators to send data entry codes. */
  manualCodes: boolean;
}

/** Seed 002's rules for PUT …/activity-definitions/{ref}. */
export function checkDefinitionWrite(w: DefinitionWrite, ctx: DefinitionWriteContext): WriteProblem[] {
  if (ctx.byInternalId && ctx.existing === undefined) {
    return [{ field: 'activityDefinitionReference', status: 404, message: 'No definition with this internal id on this level, in the cache or in Protime (a creation needs an external reference).' }];
  }
  const problems: WriteProblem[] = [];
  if (w.name === undefined || w.name.trim() === '') problems.push(bad('name.default', 'name.default is required.'));
  const self = ctx.existing?.id;
  if (w.dataEntryCode === undefined || w.dataEntryCode === '') {
    if (ctx.manualCodes) problems.push(bad('dataEntryCode', 'dataEntryCode is required: this tenant uses manual data entry codes.'));
  } else if (w.dataEntryCode.length > MAX_CODE) {
    problems.push(bad('dataEntryCode', `dataEntryCode can be at most ${MAX_CODE} characters (got ${w.dataEntryCode.length}).`));
  } else {
    const owner = ctx.codeOwner(w.dataEntryCode);
    if (owner !== undefined && owner !== self) problems.push(bad('dataEntryCode', `dataEntryCode ${w.dataEntryCode} is already used by definition ${owner} on this level.`));
  }
  if (w.externalReference !== undefined && w.externalReference !== '') {
    if (w.externalReference.length > MAX_CODE) {
      problems.push(bad('externalReference', `externalReference can be at most ${MAX_CODE} characters (got ${w.externalReference.length}).`));
    } else {
      const owner = ctx.externalReferenceOwner(w.externalReference);
      if (owner !== undefined && owner !== self) problems.push(bad('externalReference', `externalReference ${w.externalReference} is already used by definition ${owner} on this level.`));
    }
  }
  const from = parseOptionalDay(w.activeFrom, OPEN_START);
  const until = parseOptionalDay(w.activeUntil, OPEN_END);
  if (from === undefined) problems.push(bad('activeFrom', `activeFrom must be a date like 2025-01-01 (got "${w.activeFrom}").`));
  if (until === undefined) problems.push(bad('activeUntil', `activeUntil must be a date like 2026-01-01 (got "${w.activeUntil}").`));
  if (from !== undefined && until !== undefined && from > until) problems.push(bad('activeUntil', 'activeUntil is before activeFrom.'));

  problems.push(...parentProblems(w.parentId, ctx));
  return problems;
}

function parentProblems(given: string | undefined, ctx: DefinitionWriteContext): WriteProblem[] {
  const existing = ctx.existing;
  if (given !== undefined && ctx.level === 1) return [bad('parent.id', 'A definition on level 1 cannot have a parent.')];
  const resolved = given === undefined ? undefined : ctx.resolveParent(given);
  if (resolved === 'unknown') return [];
  if (existing !== undefined) {
    if (existing.parentId !== undefined && given === undefined) return [bad('parent.id', `The definition has parent ${existing.parentId}; an update must include it (parent.id).`)];
    if (given !== undefined && existing.parentId === undefined) return [bad('parent.id', 'A parent can only be set when a definition is created; end-date this one and create a new one under the parent.')];
    if (given !== undefined && (resolved ?? given) !== existing.parentId) {
      return [bad('parent.id', `The parent can never change (it is ${existing.parentId}); end-date this definition and create a new one under ${given}.`)];
    }
    return [];
  }
  if (given !== undefined && resolved === undefined) return [bad('parent.id', `No definition ${given} on level ${ctx.level - 1} to be the parent (by internal id or external reference).`)];
  return [];
}

export interface UsageKey {
  kind: UsageKind;
  reference: number;
}

function describeUsage(u: Usage): string {
  return `${u.kind} ${u.reference} from ${formatOptionalDay(u.from) ?? '(open)'} until ${formatOptionalDay(u.until) ?? '(open-ended)'}`;
}

function sameKey(u: Usage, key: UsageKey): boolean {
  return u.kind === key.kind && u.reference === key.reference;
}

function parseRange(from: string | undefined, until: string | undefined, fromField: string, untilField: string, problems: WriteProblem[]): { from: Day; until: Day } | undefined {
  const f = from === undefined || from === '' ? undefined : parseOptionalDay(from, OPEN_START);
  const u = parseOptionalDay(until, OPEN_END);
  if (f === undefined) problems.push(bad(fromField, `${fromField} is required and must be a date like 2025-01-01${from === undefined ? '' : ` (got "${from}")`}.`));
  if (u === undefined) problems.push(bad(untilField, `${untilField} must be a date like 2025-12-31, or left out / "" for open-ended (got "${until}").`));
  if (f === undefined || u === undefined) return undefined;
  if (f > u) {
    problems.push(bad(untilField, `${untilField} is before ${fromField}.`));
    return undefined;
  }
  return { from: f, until: u };
}

function overlap(existing: readonly Usage[], key: UsageKey, range: { from: Day; until: Day }, except: Usage | undefined): WriteProblem | undefined {
  const clash = existing.find((u) => u !== except && sameKey(u, key) && u.from <= range.until && range.from <= u.until);
  return clash === undefined ? undefined : { field: 'from', status: 400, message: `The period overlaps the existing usage ${describeUsage(clash)}; adjust or delete that one first.` };
}

/** POST …/usages: a new usage may not overlap one of the same (definition, kind, reference). */
export function checkUsageAdd(key: UsageKey, from: string | undefined, until: string | undefined, existing: readonly Usage[]): WriteProblem[] {
  const problems: WriteProblem[] = [];
  const range = parseRange(from, until, 'from', 'until', problems);
  if (range === undefined) return problems;
  const o = overlap(existing, key, range, undefined);
  return o === undefined ? [] : [o];
}

/** The stored usage that these dates name exactly (open end = absent or ""), as seeds 000 and 001 require. */
export function findUsage(existing: readonly Usage[], key: UsageKey, from: string | undefined, until: string | undefined): Usage | undefined {
  const f = from === undefined || from === '' ? undefined : parseOptionalDay(from, OPEN_START);
  const u = parseOptionalDay(until, OPEN_END);
  if (f === undefined || u === undefined) return undefined;
  return existing.find((x) => sameKey(x, key) && x.from === f && x.until === u);
}

/** PUT …/usages (seed 000): the original dates must match a stored usage exactly; the new ones may not overlap another. */
export function checkUsageUpdate(key: UsageKey, original: { from: string | undefined; until: string | undefined }, updated: { from: string | undefined; until: string | undefined }, existing: readonly Usage[]): WriteProblem[] {
  const problems: WriteProblem[] = [];
  const target = findUsage(existing, key, original.from, original.until);
  if (target === undefined) {
    const candidates = existing.filter((u) => sameKey(u, key)).map(describeUsage);
    problems.push({
      field: 'originalFrom',
      status: 404,
      message: `No ${key.kind} ${key.reference} usage with exactly these original dates${candidates.length === 0 ? '' : `; stored: ${candidates.join('; ')}`}. Omit originalUntil for an open-ended usage.`,
    });
  }
  const range = parseRange(updated.from, updated.until, 'updatedFrom', 'updatedUntil', problems);
  if (range !== undefined && target !== undefined) {
    const o = overlap(existing, key, range, target);
    if (o !== undefined) problems.push({ ...o, field: 'updatedFrom' });
  }
  return problems;
}

/** DELETE …/usages (seed 001): the usage must exist with exactly these dates. */
export function checkUsageDelete(key: UsageKey, from: string | undefined, until: string | undefined, existing: readonly Usage[]): WriteProblem[] {
  if (findUsage(existing, key, from, until) !== undefined) return [];
  const candidates = existing.filter((u) => sameKey(u, key)).map(describeUsage);
  return [{ field: 'from', status: 404, message: `No ${key.kind} ${key.reference} usage from ${from ?? '?'} until ${until === undefined || until === '' ? '(open-ended)' : until}${candidates.length === 0 ? '' : `; stored: ${candidates.join('; ')}`}.` }];
}

/** PUT …/restrictions: every referenced definition must exist, on an existing level. */
export function checkRestrictions(restrictions: readonly { level: number; activityDefinitions: readonly { id: string }[] }[], levels: number, exists: (id: string, level: number) => boolean): WriteProblem[] {
  const problems: WriteProblem[] = [];
  restrictions.forEach((r, i) => {
    if (r.level < 1 || r.level > levels) problems.push(bad(`[${i}].level`, `Level ${r.level} does not exist (the structure has ${levels} levels).`));
    r.activityDefinitions.forEach((d, j) => {
      if (!exists(d.id, r.level)) problems.push(bad(`[${i}].activityDefinitions[${j}].id`, `No definition ${d.id} on level ${r.level}.`));
    });
  });
  return problems;
}

/** Characters a reference in a URL path cannot carry (even encoded, proxies and the API refuse them). */
export function referenceProblem(reference: string): WriteProblem | undefined {
  return pathSegmentProblem('activityDefinitionReference', 'reference', reference);
}

/**
 * A value the gateway puts into one segment of a Protime path. "." and ".." stay dot segments even
 * percent-encoded (URL parsers resolve %2e too), so the request would reach another endpoint.
 */
export function pathSegmentProblem(field: string, what: string, value: string): WriteProblem | undefined {
  if (value === '') return bad(field, `The ${what} is empty.`);
  if (value === '.' || value === '..') return bad(field, `The ${what} "${value}" would name another address in Protime's API, not a ${what}.`);
  // eslint-disable-next-line no-control-regex
  if (/[/\\?#%\u0000-\u001f\u007f]/.test(value)) {
    return bad(field, `The ${what} "${printable(value)}" contains a character Protime cannot take in a URL (/ \\ ? # % or a control character).`);
  }
  return undefined;
}
