import type { DefinitionRecord, DefinitionRefKind } from './DefinitionRecord.js';
import type { FixtureStructureVersion } from './fixtureSchema.js';
import type { LevelList } from './LevelList.js';
import { badRequest, notFound } from './ProblemError.js';
import type { SimContext } from './SimContext.js';

export interface ResolvedLevel {
  structure: FixtureStructureVersion;
  list: LevelList;
}

/** `{structureVersionId}/levels/{level}`: an unknown structure version is 404, a level outside it 400. */
export function resolveLevel(ctx: SimContext, structureVersion: string, levelText: string): ResolvedLevel {
  const structure = ctx.store.definitions.structureVersion(structureVersion);
  if (structure === undefined) throw notFound(`Activity structure version ${structureVersion} does not exist.`);
  const level = /^\d+$/.test(levelText) ? Number(levelText) : NaN;
  if (!Number.isInteger(level) || level < 1 || level > structure.levels) {
    throw badRequest('level', `Level ${levelText} does not exist in activity structure version ${structureVersion}, which has levels 1 to ${structure.levels}.`);
  }
  return { structure, list: ctx.store.definitions.list(structure.id, level)! };
}

/** `{activityDefinitionReference}` within one (structure version, level); unknown is 404. */
export function findDefinition(list: LevelList, kind: DefinitionRefKind, ref: string): DefinitionRecord {
  const found = list.find(kind, ref);
  if (found === undefined) throw notFound(`No activity definition ${describeRef(kind, ref)} on level ${list.level} of structure version ${list.structureVersion}.`);
  return found;
}

export function describeRef(kind: DefinitionRefKind, ref: string): string {
  switch (kind.kind) {
    case 'id':
      return `with id ${ref}`;
    case 'data-entry-code':
      return `with data entry code ${ref}`;
    case 'external-reference':
      return `with external reference ${ref}`;
    case 'custom':
      return `with ${kind.key} ${ref}`;
  }
}
