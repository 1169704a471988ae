import type { Definition, DefinitionChange, Person, Restriction, Snapshot, StructureVersion, Usage, UsageKind } from '../core/model.js';

/**
 * The cached model kept in memory next to SQLite, so that a rebuild of the index (after another
 * process changed the file) reads no row twice: ModelStore updates it from the rows it just
 * committed, so it never differs from the file.
 */
export class ModelMirror {
  readonly definitions = new Map<string, Definition>();
  readonly usages = new Map<string, Usage[]>();
  readonly restrictions = new Map<string, Restriction[]>();
  people = new Map<number, Person>();
  structureVersions: StructureVersion[] = [];
  syncedAt: number | undefined;
  /** How many usages name each (kind, reference): whose people the gateway must know, without reading every usage each sync. */
  readonly #references: Record<UsageKind, Map<number, number>> = { Person: new Map(), Group: new Map(), Circle: new Map() };

  constructor(snapshot: Snapshot) {
    this.syncedAt = snapshot.syncedAt;
    this.structureVersions = [...snapshot.structureVersions];
    for (const d of snapshot.definitions) this.definitions.set(d.id, d);
    for (const u of snapshot.usages) push(this.usages, u.definitionId, u);
    this.#count(snapshot.usages, 1);
    for (const r of snapshot.restrictions) push(this.restrictions, r.definitionId, r);
    for (const p of snapshot.people) this.people.set(p.id, p);
  }

  /** Replaces what is known of one definition with its stored state. */
  setDefinition({ id, definition, usages, restrictions }: DefinitionChange): void {
    this.#count(this.usages.get(id) ?? [], -1);
    this.#count(definition === undefined ? [] : usages, 1);
    if (definition === undefined) {
      this.definitions.delete(id);
      this.usages.delete(id);
      this.restrictions.delete(id);
      return;
    }
    this.definitions.set(id, definition);
    if (usages.length > 0) this.usages.set(id, [...usages]);
    else this.usages.delete(id);
    if (restrictions.length > 0) this.restrictions.set(id, [...restrictions]);
    else this.restrictions.delete(id);
  }

  /** What the cache holds of one definition, if anything. */
  stored(id: string): { definition: Definition; usages: readonly Usage[]; restrictions: readonly Restriction[] } | undefined {
    const definition = this.definitions.get(id);
    return definition === undefined ? undefined : { definition, usages: this.usages.get(id) ?? [], restrictions: this.restrictions.get(id) ?? [] };
  }

  /** Every (kind, reference) some usage names. */
  references(): Record<UsageKind, Set<number>> {
    return { Person: new Set(this.#references.Person.keys()), Group: new Set(this.#references.Group.keys()), Circle: new Set(this.#references.Circle.keys()) };
  }

  #count(usages: readonly Usage[], delta: 1 | -1): void {
    for (const u of usages) {
      const counts = this.#references[u.kind];
      const n = (counts.get(u.reference) ?? 0) + delta;
      if (n === 0) counts.delete(u.reference);
      else counts.set(u.reference, n);
    }
  }

  /** The definitions held on these levels that their full listing no longer names; one pass however many levels. */
  unlisted(levels: readonly { structureVersion: string; level: number; listedIds: ReadonlySet<string> }[]): string[] {
    if (levels.length === 0) return [];
    const listed = new Map<string, Map<number, ReadonlySet<string>>>();
    for (const l of levels) {
      const byLevel = listed.get(l.structureVersion) ?? new Map<number, ReadonlySet<string>>();
      listed.set(l.structureVersion, byLevel.set(l.level, l.listedIds));
    }
    const ids: string[] = [];
    for (const d of this.definitions.values()) {
      const keep = listed.get(d.structureVersion)?.get(d.level);
      if (keep !== undefined && !keep.has(d.id)) ids.push(d.id);
    }
    return ids;
  }

  snapshot(): Snapshot {
    const usages: Usage[] = [];
    for (const list of this.usages.values()) usages.push(...list);
    const restrictions: Restriction[] = [];
    for (const list of this.restrictions.values()) restrictions.push(...list);
    return {
      syncedAt: this.syncedAt,
      structureVersions: [...this.structureVersions],
      definitions: [...this.definitions.values()],
      usages,
      restrictions,
      people: [...this.people.values()],
    };
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
