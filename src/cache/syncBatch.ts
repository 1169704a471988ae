import type { Definition, Person, Restriction, StructureVersion, Usage } from '../core/model.js';

/** A definition with everything that hangs off it, replaced together. */
export interface DefinitionRecord {
  definition: Definition;
  usages: readonly Usage[];
  restrictions: readonly Restriction[];
}

/**
 * Everything one sync learned, applied to the cache in one transaction together with the cursors
 * that say how far it got: after a crash the cache holds the old state or the new, never a mix.
 */
export interface SyncBatch {
  /** When the sync happened; undefined for a partial refresh that must not count as one. */
  syncedAt: number | undefined;
  structureVersions: readonly StructureVersion[];
  /** Levels listed in full: their stored definitions not among `listedIds` were deleted upstream. */
  fullLevels: readonly { structureVersion: string; level: number; listedIds: ReadonlySet<string> }[];
  definitions: readonly DefinitionRecord[];
  deletedDefinitions: readonly string[];
  /** When true, `people` is the complete set and everyone else is removed. */
  fullPeople: boolean;
  people: readonly Person[];
  deletedPeople: readonly number[];
  cursors: readonly { collection: string; value: string | null }[];
}

export interface ApplyResult {
  definitionsWritten: number;
  /** Listed again exactly as stored (a full sync), so left as they were. */
  definitionsUnchanged: number;
  definitionsIgnoredAsOlder: number;
  definitionsDeleted: number;
  peopleWritten: number;
  peopleDeleted: number;
}
