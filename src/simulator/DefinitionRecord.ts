import type { FixtureRestriction, FixtureUsage } from './fixtureSchema.js';

/** One stored activity definition; mutated in place so every index keeps pointing at the live object. */
export interface DefinitionRecord {
  id: string;
  structureVersion: string;
  level: number;
  name: { default: string; translations: Record<string, string> };
  parentId: string | undefined;
  shortCode: string | undefined;
  dataEntryCode: string | undefined;
  externalReference: string | undefined;
  info: string | undefined;
  activeFrom: string | undefined;
  activeUntil: string | undefined;
  customReferences: Record<string, string>;
  usages: FixtureUsage[];
  restrictions: FixtureRestriction[];
  changeVersion: number;
}

/** How a `{activityDefinitionReference}` is to be read (the `externalReferences` query option). */
export type DefinitionRefKind = { kind: 'id' } | { kind: 'data-entry-code' } | { kind: 'external-reference' } | { kind: 'custom'; key: string };
