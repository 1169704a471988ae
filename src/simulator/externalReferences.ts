import type { DefinitionRefKind } from './DefinitionRecord.js';
import { badRequest } from './ProblemError.js';
import type { SimContext } from './SimContext.js';

export type PersonRefKind = '@badge-number' | '@employee-number';
export type TerminalRefKind = '@external-code';

/** How references in the path or body are to be read, per collection; absent = internal ids. */
export interface ExternalReferences {
  definitions: DefinitionRefKind;
  people: PersonRefKind | undefined;
  terminals: TerminalRefKind | undefined;
}

/**
 * `?externalReferences=(activity-definitions,@data-entry-code)(people,@badge-number)…`: one
 * `(collection,key)` pair per collection. Definitions take the predefined keys or any custom key;
 * people and terminals only their predefined ones.
 */
export function parseExternalReferences(value: string | null): ExternalReferences {
  const refs: ExternalReferences = { definitions: { kind: 'id' }, people: undefined, terminals: undefined };
  if (value === null) return refs;
  if (!/^(\([^(),]+,[^(),]+\))+$/.test(value)) throw badRequest('externalReferences', `externalReferences "${value}" is not a list of (collection,key) pairs.`);
  const seen = new Set<string>();
  for (const [, collection, key] of value.matchAll(/\(([^(),]+),([^(),]+)\)/g) as IterableIterator<[string, string, string]>) {
    if (seen.has(collection)) throw badRequest('externalReferences', `externalReferences names ${collection} twice.`);
    seen.add(collection);
    if (collection === 'activity-definitions') refs.definitions = definitionKind(key);
    else if (collection === 'people' && (key === '@badge-number' || key === '@employee-number')) refs.people = key;
    else if (collection === 'terminals' && key === '@external-code') refs.terminals = key;
    else throw badRequest('externalReferences', `externalReferences (${collection},${key}) is not a known collection and key.`);
  }
  return refs;
}

function definitionKind(key: string): DefinitionRefKind {
  if (key === '@data-entry-code') return { kind: 'data-entry-code' };
  if (key === '@external-reference') return { kind: 'external-reference' };
  if (key.startsWith('@')) throw badRequest('externalReferences', `${key} is not a predefined external reference of activity-definitions.`);
  return { kind: 'custom', key };
}

/** The internal id of the person a request names: by id, or by the query's `(people,…)` key (a badge may be sent as a number). */
export function resolvePerson(ctx: SimContext, refs: ExternalReferences, id: number | string, field: string): number {
  const person =
    refs.people === '@badge-number'
      ? ctx.store.people.byBadge(String(id))
      : refs.people === '@employee-number'
        ? ctx.store.people.byEmployeeNumber(String(id))
        : typeof id === 'number'
          ? ctx.store.people.get(id)
          : undefined;
  if (person === undefined) throw badRequest(field, `No person ${refs.people === undefined ? 'with id' : `with ${refs.people}`} ${id}.`);
  return person.id;
}
