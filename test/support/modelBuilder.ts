import { OPEN_END, OPEN_START, parseDay, type Day } from '../../src/core/day.js';
import type { Definition, Person, Restriction, Snapshot, StructureVersion, Usage, UsageKind } from '../../src/core/model.js';

/** Test data in the API's terms (date strings, optional fields) turned into the core model. */

export function day(text: string): Day {
  const d = parseDay(text);
  if (d === undefined) throw new Error(`bad test date ${text}`);
  return d;
}

export interface DefSpec {
  id: string;
  level: number;
  code?: string;
  name?: string;
  translations?: Record<string, string>;
  parent?: string;
  from?: string;
  until?: string;
  sv?: string;
}

export const SV = 'b2347a7a-d60d-446f-b03b-7es2cc8c3281';

export function def(spec: DefSpec): Definition {
  return {
    id: spec.id,
    structureVersion: spec.sv ?? SV,
    level: spec.level,
    parentId: spec.parent,
    dataEntryCode: spec.code,
    shortCode: undefined,
    externalReference: undefined,
    name: { default: spec.name ?? spec.id, translations: spec.translations ?? {} },
    info: undefined,
    activeFrom: spec.from === undefined ? OPEN_START : day(spec.from),
    activeUntil: spec.until === undefined ? OPEN_END : day(spec.until),
    changeVersion: undefined,
  };
}

export function usage(definitionId: string, kind: UsageKind, reference: number, from: string, until?: string): Usage {
  return { definitionId, kind, reference, from: day(from), until: until === undefined ? OPEN_END : day(until) };
}

export function restriction(definitionId: string, level: number, allowed: string[]): Restriction {
  return { definitionId, level, allowed };
}

export interface PersonSpec {
  id: number;
  badge?: string;
  badges?: string[];
  groups?: number[];
  circles?: number[];
  inService?: string;
  outOfService?: string;
}

export function person(spec: PersonSpec): Person {
  return {
    id: spec.id,
    badges: spec.badges ?? [spec.badge ?? String(spec.id)],
    groups: spec.groups ?? [],
    circles: spec.circles ?? [],
    inService: spec.inService === undefined ? OPEN_START : day(spec.inService),
    outOfService: spec.outOfService === undefined ? OPEN_END : day(spec.outOfService),
  };
}

export function snapshot(parts: Partial<Omit<Snapshot, 'syncedAt'>> & { syncedAt?: number | undefined }): Snapshot {
  const structureVersions: StructureVersion[] = [...(parts.structureVersions ?? [{ id: SV, levels: 3 }])];
  return {
    syncedAt: 'syncedAt' in parts ? parts.syncedAt : 1,
    structureVersions,
    definitions: parts.definitions ?? [],
    usages: parts.usages ?? [],
    restrictions: parts.restrictions ?? [],
    people: parts.people ?? [],
  };
}
