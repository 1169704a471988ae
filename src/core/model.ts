import type { Day } from './day.js';

/**
 * The domain model as the gateway keeps it: what Protime says, with dates already parsed into
 * day numbers and open ends as OPEN_START / OPEN_END. Plain data, shared by cache, sync and index.
 */

export type UsageKind = 'Person' | 'Group' | 'Circle';
export const USAGE_KINDS: readonly UsageKind[] = ['Person', 'Group', 'Circle'];

export interface StructureVersion {
  id: string;
  /** Number of levels; level 1 is the top. */
  levels: number;
}

export interface LocalizedName {
  default: string;
  /** Language code → text, e.g. { nl: 'Verkoop' }. */
  translations: Readonly<Record<string, string>>;
}

export interface Definition {
  id: string;
  structureVersion: string;
  level: number;
  parentId: string | undefined;
  dataEntryCode: string | undefined;
  shortCode: string | undefined;
  externalReference: string | undefined;
  name: LocalizedName;
  info: string | undefined;
  activeFrom: Day;
  activeUntil: Day;
  changeVersion: string | undefined;
}

export interface Usage {
  definitionId: string;
  kind: UsageKind;
  reference: number;
  from: Day;
  until: Day;
}

export interface Restriction {
  /** The definition that carries the restriction. */
  definitionId: string;
  /** The level whose choices it narrows. */
  level: number;
  /** The definitions allowed on that level. */
  allowed: readonly string[];
}

export interface Person {
  id: number;
  badges: readonly string[];
  groups: readonly number[];
  circles: readonly number[];
  inService: Day;
  outOfService: Day;
  changeVersion?: string | undefined;
}

/** Everything the index is built from. `syncedAt` is absent when nothing was ever synced. */
export interface Snapshot {
  syncedAt: number | undefined;
  structureVersions: readonly StructureVersion[];
  definitions: readonly Definition[];
  usages: readonly Usage[];
  restrictions: readonly Restriction[];
  people: readonly Person[];
}

/** The whole stored state of one definition after a change; `definition` absent: it was deleted. */
export interface DefinitionChange {
  id: string;
  definition: Definition | undefined;
  usages: readonly Usage[];
  restrictions: readonly Restriction[];
}

/**
 * What changed in the model since an index was last brought up to date: the definitions touched,
 * in the order they changed, and the lists replaced whole (undefined where unchanged).
 */
export interface ModelChanges {
  syncedAt: number | undefined;
  structureVersions: readonly StructureVersion[] | undefined;
  definitions: readonly DefinitionChange[];
  people: readonly Person[] | undefined;
}

export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  syncedAt: undefined,
  structureVersions: [],
  definitions: [],
  usages: [],
  restrictions: [],
  people: [],
});
