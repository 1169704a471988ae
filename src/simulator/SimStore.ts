import { z } from 'zod';
import { PtgwError } from '../core/errors.js';
import { ChangeCounter } from './ChangeCounter.js';
import { DefinitionStore } from './DefinitionStore.js';
import {
  definitionSchema,
  personSchema,
  restrictionSchema,
  usageSchema,
  type Fixture,
  type FixtureDefinition,
  type FixtureDefinitionInput,
  type FixturePersonInput,
} from './fixtureSchema.js';
import { PeopleStore } from './PeopleStore.js';

export interface StoredClocking {
  id: string;
  person: { id: number };
  date: string;
  timeOfDayInMinutes: number;
  terminal: { id: number };
  kind: 'InOut' | 'Reason' | 'Activity' | 'ActivityEnd';
  activityLevels?: { level: number; activityDefinition: { id: string } }[];
}

export interface Terminal {
  id: number;
  externalCode: string | undefined;
}

/**
 * The simulated tenant's data. Tests change it through the methods below (fixture-format
 * objects) to play "someone edited this in myProtime"; every change takes a new change version,
 * so both delta links and changeVersion comparison see it.
 */
export class SimStore {
  readonly counter = new ChangeCounter();
  readonly definitions: DefinitionStore;
  readonly people = new PeopleStore(this.counter);
  readonly clockings: StoredClocking[] = [];
  readonly #terminals = new Map<number, Terminal>();
  readonly #terminalsByCode = new Map<string, Terminal>();

  constructor(fixture: Fixture) {
    this.definitions = new DefinitionStore(this.counter, fixture.structureVersions);
    for (const d of fixture.definitions) this.definitions.upsert(d);
    for (const p of fixture.people) this.people.upsert(p);
    for (const t of fixture.terminals) {
      this.#terminals.set(t.id, t);
      if (t.externalCode !== undefined) this.#terminalsByCode.set(t.externalCode, t);
    }
  }

  terminal(id: number): Terminal | undefined {
    return this.#terminals.get(id);
  }

  terminalByExternalCode(code: string): Terminal | undefined {
    return this.#terminalsByCode.get(code);
  }

  /** Inserts or replaces a definition (full object, fixture format); it may move to another level. */
  upsertDefinition(definition: FixtureDefinitionInput): void {
    this.definitions.upsert(valid(definitionSchema, definition, 'definition'));
  }

  deleteDefinition(id: string): boolean {
    return this.definitions.delete(id);
  }

  setUsages(definitionId: string, usages: z.input<typeof usageSchema>[]): void {
    this.definitions.setUsages(this.#existing(definitionId), valid(z.array(usageSchema), usages, 'usages'));
  }

  setRestrictions(definitionId: string, restrictions: z.input<typeof restrictionSchema>[]): void {
    this.definitions.setRestrictions(this.#existing(definitionId), valid(z.array(restrictionSchema), restrictions, 'restrictions'));
  }

  upsertPerson(person: FixturePersonInput): void {
    this.people.upsert(valid(personSchema, person, 'person'));
  }

  deletePerson(id: number): boolean {
    return this.people.delete(id);
  }

  /** A copy of a stored definition in fixture format, or undefined. */
  definition(id: string): FixtureDefinition | undefined {
    const r = this.definitions.get(id);
    if (r === undefined) return undefined;
    return structuredClone({
      id: r.id,
      structureVersion: r.structureVersion,
      level: r.level,
      name: r.name,
      parent: r.parentId === undefined ? undefined : { id: r.parentId },
      shortCode: r.shortCode,
      dataEntryCode: r.dataEntryCode,
      externalReference: r.externalReference,
      info: r.info,
      activeFrom: r.activeFrom,
      activeUntil: r.activeUntil,
      customReferences: r.customReferences,
      usages: r.usages,
      restrictions: r.restrictions,
    });
  }

  #existing(id: string) {
    const record = this.definitions.get(id);
    if (record === undefined) throw new PtgwError('INVALID_ARGUMENT', `No definition with id ${id} in the simulator.`);
    return record;
  }
}

function valid<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PtgwError('INVALID_ARGUMENT', `Invalid ${what} for the simulator store at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}
