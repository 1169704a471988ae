import { pathSegmentProblem, referenceProblem } from '../../core/writeChecks.js';
import { levelPath } from '../fetchDefinitions.js';
import { refused, type AdminResult } from './adminResult.js';

/** Which definition a write is about: Protime's own path parameters and `externalReferences` key. */
export interface DefinitionRef {
  structureVersion: string;
  level: number;
  reference: string;
  /** `@data-entry-code`, `@external-reference`, or a custom key; undefined = internal id. */
  referenceKey: string | undefined;
  /**
   * The (collection, key) pairs of the integrator's whole `externalReferences` query, in its order,
   * forwarded as given (its people and terminals parts included); undefined = referenceKey alone.
   */
  externalReferences?: readonly ExternalReference[] | undefined;
}

/** One `(collection,key)` of an `externalReferences` query, e.g. ['people', '@badge-number']. */
export type ExternalReference = readonly [collection: string, key: string];

const KEY_RE = /^@?[A-Za-z0-9_.-]{1,64}$/;

/**
 * A level as the caller wrote it: digits only. Number() alone would read "1e300", "0x1" or " 1" as
 * levels and put "1e+300" into Protime's path.
 */
export function parseLevel(text: string): number | undefined {
  const level = /^[0-9]{1,9}$/.test(text) ? Number(text) : 0;
  return level >= 1 ? level : undefined;
}

/** A reference key of the integrator's own (not synced), as opposed to the two Protime predefines. */
export function isCustomKey(key: string): boolean {
  return key !== '@data-entry-code' && key !== '@external-reference';
}

/** The (collection, key) pairs of the query, in the integrator's order; from referenceKey alone when no query was given. */
export function externalPairs(ref: DefinitionRef): readonly ExternalReference[] {
  return ref.externalReferences ?? (ref.referenceKey === undefined ? [] : [['activity-definitions', ref.referenceKey]]);
}

/** Protime's path (and externalReferences query) for the definition; a refusal for a reference or key it could not take. */
export function definitionPath(ref: DefinitionRef): { value: string } | { problem: AdminResult } {
  const p = pathSegmentProblem('structureVersionId', 'structure version', ref.structureVersion) ?? referenceProblem(ref.reference);
  if (p !== undefined) return { problem: refused([p]) };
  // Every key goes into the URL unescaped, as Protime spells them: only plain ones are let through.
  const pairs = externalPairs(ref);
  const badKey = pairs.find(([collection, key]) => !/^[a-z-]+$/.test(collection) || !KEY_RE.test(key));
  if (badKey !== undefined) {
    return { problem: refused([{ field: 'externalReferences', status: 400, message: `"${badKey[1]}" is not an external reference key (e.g. @data-entry-code, @external-reference or CustomActivityReference).` }]) };
  }
  const query = pairs.length === 0 ? '' : `?externalReferences=${pairs.map(([collection, key]) => `(${collection},${key})`).join('')}`;
  return { value: `${levelPath(ref.structureVersion, ref.level)}/${encodeURIComponent(ref.reference)}${query}` };
}
