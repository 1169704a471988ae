import { PtgwError } from '../core/errors.js';
import type { ChangeCounter } from './ChangeCounter.js';
import type { DefinitionRecord } from './DefinitionRecord.js';
import type { FixtureDefinition, FixtureRestriction, FixtureStructureVersion, FixtureUsage } from './fixtureSchema.js';
import { LevelList } from './LevelList.js';

/**
 * All activity definitions, kept per (structure version, level) plus one global id map (clockings
 * and restrictions refer to definitions by id alone). Every change takes a new change version
 * and is written to the change log of each list it touches: a definition that moves to another
 * level is removed from the old list's point of view.
 */
export class DefinitionStore {
  readonly #structures = new Map<string, FixtureStructureVersion>();
  readonly #levels = new Map<string, LevelList>();
  readonly #byId = new Map<string, DefinitionRecord>();

  constructor(
    private readonly counter: ChangeCounter,
    structureVersions: readonly FixtureStructureVersion[],
  ) {
    for (const sv of structureVersions) {
      this.#structures.set(sv.id, sv);
      for (let level = 1; level <= sv.levels; level++) this.#levels.set(levelKey(sv.id, level), new LevelList(sv.id, level));
    }
  }

  structureVersion(id: string): FixtureStructureVersion | undefined {
    return this.#structures.get(id);
  }

  structureVersions(): FixtureStructureVersion[] {
    return [...this.#structures.values()];
  }

  list(structureVersion: string, level: number): LevelList | undefined {
    return this.#levels.get(levelKey(structureVersion, level));
  }

  get(id: string): DefinitionRecord | undefined {
    return this.#byId.get(id);
  }

  /** Inserts or replaces the definition with `def.id`; codes and references must stay unique per list. */
  upsert(def: FixtureDefinition): DefinitionRecord {
    const target = this.list(def.structureVersion, def.level);
    if (target === undefined) throw new PtgwError('INVALID_ARGUMENT', `Definition ${def.id}: structure version ${def.structureVersion} has no level ${def.level}.`);
    const clash =
      (def.dataEntryCode === undefined ? undefined : target.find({ kind: 'data-entry-code' }, def.dataEntryCode)) ??
      (def.externalReference === undefined ? undefined : target.find({ kind: 'external-reference' }, def.externalReference)) ??
      Object.entries(def.customReferences)
        .map(([key, value]) => target.find({ kind: 'custom', key }, value))
        .find((r) => r !== undefined);
    if (clash !== undefined && clash.id !== def.id) {
      throw new PtgwError('INVALID_ARGUMENT', `Definition ${def.id} would share a data entry code or reference with ${clash.id} on the same level.`);
    }
    const existing = this.#byId.get(def.id);
    const fields = {
      name: { default: def.name.default, translations: { ...def.name.translations } },
      parentId: def.parent?.id,
      shortCode: def.shortCode,
      dataEntryCode: def.dataEntryCode,
      externalReference: def.externalReference,
      info: def.info,
      activeFrom: def.activeFrom,
      activeUntil: def.activeUntil,
      customReferences: { ...def.customReferences },
      usages: def.usages.map((u) => ({ ...u, usageReference: { ...u.usageReference } })),
      restrictions: def.restrictions.map((r) => ({ level: r.level, activityDefinitions: r.activityDefinitions.map((a) => ({ id: a.id })) })),
    };
    if (existing === undefined) {
      const record: DefinitionRecord = { id: def.id, structureVersion: def.structureVersion, level: def.level, ...fields, changeVersion: this.counter.next() };
      this.#byId.set(record.id, record);
      target.append(record);
      target.log.record(record.changeVersion, record.id, false);
      return record;
    }
    const source = this.list(existing.structureVersion, existing.level)!;
    if (source === target) {
      target.unindex(existing);
      Object.assign(existing, fields);
      target.index(existing);
    } else {
      source.remove(existing);
      Object.assign(existing, fields, { structureVersion: def.structureVersion, level: def.level });
      target.append(existing);
    }
    existing.changeVersion = this.counter.next();
    if (source !== target) source.log.record(existing.changeVersion, existing.id, true);
    target.log.record(existing.changeVersion, existing.id, false);
    return existing;
  }

  /** Removes a definition, leaving a tombstone (its deletion's change version) in its list's log. */
  delete(id: string): boolean {
    const existing = this.#byId.get(id);
    if (existing === undefined) return false;
    const list = this.list(existing.structureVersion, existing.level)!;
    list.remove(existing);
    this.#byId.delete(id);
    list.log.record(this.counter.next(), id, true);
    return true;
  }

  setUsages(record: DefinitionRecord, usages: FixtureUsage[]): void {
    record.usages = usages;
    this.#touch(record);
  }

  setRestrictions(record: DefinitionRecord, restrictions: FixtureRestriction[]): void {
    record.restrictions = restrictions;
    this.#touch(record);
  }

  #touch(record: DefinitionRecord): void {
    record.changeVersion = this.counter.next();
    this.list(record.structureVersion, record.level)!.log.record(record.changeVersion, record.id, false);
  }
}

function levelKey(structureVersion: string, level: number): string {
  return `${structureVersion}\u0000${level}`;
}
