import type { Day } from './day.js';
import { Interner } from './intern.js';
import type { Definition, ModelChanges, Person, Restriction, Snapshot, StructureVersion, Usage } from './model.js';
import { buildUsageTable, kindIndex, sortUsageTable, usageCount, type UsageTable } from './usageTable.js';

/** A definition as the index holds it: packed usages, restrictions as sets of ids. */
export class IndexedDefinition {
  /** The parent as last found (see CodeIndex.parentOf): trusted only while it is still in the index. */
  parent: IndexedDefinition | undefined = undefined;
  /** False once a sync replaced or deleted it: whoever still points at it must look its id up again. */
  live = true;
  usages: UsageTable | undefined = undefined;
  /** Level → the ids of the definitions allowed there once this one is chosen (several entries intersect). */
  restrictions: Map<number, ReadonlySet<string>[]> | undefined = undefined;

  constructor(
    readonly id: string,
    readonly structureVersion: string,
    readonly level: number,
    readonly code: string | undefined,
    readonly name: string,
    readonly translations: Readonly<Record<string, string>> | undefined,
    readonly activeFrom: Day,
    readonly activeUntil: Day,
    readonly parentId: string | undefined,
  ) {}

  /** The name in the given language, falling back to the default name. */
  displayName(language: string | undefined): string {
    if (language === undefined || this.translations === undefined) return this.name;
    return this.translations[language] ?? this.name;
  }
}

export class IndexedPerson {
  constructor(
    readonly id: number,
    readonly groups: readonly number[],
    readonly circles: readonly number[],
    readonly inService: Day,
    readonly outOfService: Day,
  ) {}
}

/** The definitions of one structure version with a data entry code: level → code → definition. */
interface SvCodes {
  id: string;
  levels: (Map<string, IndexedDefinition> | undefined)[];
}

export interface IndexStats {
  definitions: number;
  usages: number;
  restrictions: number;
  people: number;
}

/**
 * The in-memory index every decision is made from. Built in O(n) from a snapshot, then kept up
 * to date by `apply` in O(changes), in place and within one synchronous call: a decision sees the
 * index before a sync or after it, never in between, and a sync of a few changes does not hold up
 * the terminals for a rebuild of a million definitions. Lookups are hash-map probes: one Map per
 * (structure version, level) keyed by data entry code, and one Map keyed by badge.
 */
export class CodeIndex {
  #populated: boolean;
  #syncedAt: number | undefined;
  readonly #codes = new Map<string, SvCodes>();
  readonly #byId = new Map<string, IndexedDefinition>();
  /**
   * Every definition of a (structure version, level, code) that more than one carries, in the
   * order added: the code finds the last; when that one goes, the one before it again.
   */
  readonly #sameCode = new Map<string, IndexedDefinition[]>();
  /**
   * Codes with lower-case letters, keyed by (structure version, level, upper-cased code), for
   * devices whose profile upper-cases what they read; a key that more than one folds to finds none.
   */
  readonly #folded = new Map<string, IndexedDefinition[]>();
  #badges = new Map<string, IndexedPerson>();
  /** Badges carried by more than one person (a badge handed from a leaver to a new hire): all of them, in snapshot order. */
  #sharedBadges = new Map<string, IndexedPerson[]>();
  #structureVersions: Map<string, StructureVersion>;
  #usages = 0;
  #restrictions = 0;
  #people = 0;

  private constructor(snapshot: Snapshot) {
    this.#populated = snapshot.syncedAt !== undefined;
    this.#syncedAt = snapshot.syncedAt;
    const interner = new Interner();
    this.#structureVersions = new Map(snapshot.structureVersions.map((sv) => [sv.id, sv]));
    const ordered: IndexedDefinition[] = [];
    for (const d of snapshot.definitions) ordered.push(this.#add(d, interner));
    for (const def of ordered) if (def.parentId !== undefined) def.parent = this.#byId.get(def.parentId);
    this.#usages = this.#attachUsages(snapshot.usages, ordered);
    for (const r of snapshot.restrictions) {
      const owner = this.#byId.get(r.definitionId);
      if (owner !== undefined) this.#restrict(owner, r);
    }
    this.#setPeople(snapshot.people);
  }

  static build(snapshot: Snapshot): CodeIndex {
    return new CodeIndex(snapshot);
  }

  /** False until a sync has filled the cache: every code is refused as CACHE_EMPTY then. */
  get populated(): boolean {
    return this.#populated;
  }

  get syncedAt(): number | undefined {
    return this.#syncedAt;
  }

  get stats(): IndexStats {
    return { definitions: this.#byId.size, usages: this.#usages, restrictions: this.#restrictions, people: this.#people };
  }

  /**
   * Brings the index in line with a model that changed as `changes` says, each definition's old
   * entry replaced by its new state (or dropped), in the order they changed. A list given whole
   * (people, structure versions) replaces the index's.
   */
  apply(changes: ModelChanges): void {
    for (const c of changes.definitions) {
      const old = this.#byId.get(c.id);
      if (old !== undefined) this.#remove(old);
      if (c.definition === undefined) continue;
      const def = this.#add(c.definition, undefined);
      if (c.usages.length > 0) {
        def.usages = buildUsageTable(c.usages);
        this.#usages += c.usages.length;
      }
      for (const r of c.restrictions) this.#restrict(def, r);
    }
    if (changes.structureVersions !== undefined) this.#structureVersions = new Map(changes.structureVersions.map((sv) => [sv.id, sv]));
    if (changes.people !== undefined) this.#setPeople(changes.people);
    if (changes.syncedAt !== undefined) {
      this.#syncedAt = changes.syncedAt;
      this.#populated = true;
    }
  }

  /** The structure version of the definition added last: consecutive ones nearly always share it, and skip the lookup then. */
  #lastSv: { raw: string; codes: SvCodes } | undefined;

  /** Makes and files a definition. `interner`: shares the strings of a whole build; a definition added by `apply` keeps its own. */
  #add(d: Definition, interner: Interner | undefined): IndexedDefinition {
    const sv = this.#svCodes(d.structureVersion);
    const def = new IndexedDefinition(
      d.id,
      sv.id,
      d.level,
      d.dataEntryCode,
      interner === undefined ? d.name.default : interner.string(d.name.default),
      interner === undefined ? nonEmpty(d.name.translations) : interner.record(d.name.translations),
      d.activeFrom,
      d.activeUntil,
      d.parentId,
    );
    this.#byId.set(def.id, def);
    const code = def.code;
    if (code === undefined || code === '') return def;
    let codes = sv.levels[def.level];
    if (codes === undefined) {
      codes = new Map();
      sv.levels[def.level] = codes;
    }
    const held = codes.get(code);
    if (held !== undefined) {
      const key = codeKey(def.structureVersion, def.level, code);
      const all = this.#sameCode.get(key);
      if (all === undefined) this.#sameCode.set(key, [held, def]);
      else all.push(def);
    }
    codes.set(code, def);
    if (mayFold(code)) push(this.#folded, codeKey(def.structureVersion, def.level, code.toUpperCase()), def);
    return def;
  }

  /** The code maps of a structure version, made on first use; its `id` is the one copy of the id all its definitions share. */
  #svCodes(structureVersion: string): SvCodes {
    const last = this.#lastSv;
    if (last !== undefined && last.raw === structureVersion) return last.codes;
    let codes = this.#codes.get(structureVersion);
    if (codes === undefined) {
      codes = { id: structureVersion, levels: [] };
      this.#codes.set(structureVersion, codes);
    }
    this.#lastSv = { raw: structureVersion, codes };
    return codes;
  }

  #remove(def: IndexedDefinition): void {
    def.live = false;
    this.#byId.delete(def.id);
    if (def.usages !== undefined) this.#usages -= usageCount(def.usages);
    if (def.restrictions !== undefined) for (const sets of def.restrictions.values()) this.#restrictions -= sets.length;
    const code = def.code;
    if (code === undefined || code === '') return;
    const codes = this.#codes.get(def.structureVersion)?.levels[def.level];
    const key = codeKey(def.structureVersion, def.level, code);
    const all = this.#sameCode.get(key);
    if (all === undefined) codes?.delete(code);
    else {
      drop(all, def);
      codes?.set(code, all[all.length - 1] as IndexedDefinition);
      if (all.length === 1) this.#sameCode.delete(key);
    }
    if (mayFold(code)) pull(this.#folded, codeKey(def.structureVersion, def.level, code.toUpperCase()), def);
  }

  #restrict(owner: IndexedDefinition, r: Restriction): void {
    // The index's own copy of each id where it has one: a probe then compares pointers, not text.
    const allowed = new Set<string>();
    for (const id of r.allowed) allowed.add(this.#byId.get(id)?.id ?? id);
    owner.restrictions ??= new Map();
    const list = owner.restrictions.get(r.level);
    if (list === undefined) owner.restrictions.set(r.level, [allowed]);
    else list.push(allowed);
    this.#restrictions++;
  }

  #setPeople(people: readonly Person[]): void {
    this.#badges = new Map();
    this.#sharedBadges = new Map();
    for (const p of people) this.#addPerson(p);
    this.#people = people.length;
  }

  /**
   * Packs usages straight into each definition's table. Snapshots list a definition's usages
   * together (the cache stores them so), so the id lookup happens once per run of usages, not once
   * per usage — and usually not at all, since they also follow the definitions' order; a
   * definition whose usages come in several runs is merged, and tables are sorted only when they
   * arrive out of order.
   */
  #attachUsages(usages: readonly Usage[], ordered: readonly IndexedDefinition[]): number {
    let total = 0;
    let cursor = 0;
    for (let i = 0; i < usages.length; ) {
      const id = (usages[i] as Usage).definitionId;
      // The run of usages of one definition: sized once, so no array grows (and becomes garbage) while packing.
      let j = i + 1;
      while (j < usages.length && (usages[j] as Usage).definitionId === id) j++;
      let def: IndexedDefinition | undefined;
      for (let a = cursor; a < cursor + 4 && a < ordered.length; a++) {
        if ((ordered[a] as IndexedDefinition).id === id) {
          def = ordered[a];
          cursor = a + 1;
          break;
        }
      }
      def ??= this.#byId.get(id);
      if (def !== undefined) {
        const previous = def.usages ?? [];
        const table: number[] = new Array<number>(previous.length + (j - i) * 4);
        let k = 0;
        for (; k < previous.length; k++) table[k] = previous[k] as number;
        for (let u = i; u < j; u++) {
          const usage = usages[u] as Usage;
          table[k++] = kindIndex(usage.kind);
          table[k++] = usage.reference;
          table[k++] = usage.from;
          table[k++] = usage.until;
        }
        sortUsageTable(table);
        def.usages = table;
        total += j - i;
      }
      i = j;
    }
    return total;
  }

  #addPerson(p: Person): void {
    const person = new IndexedPerson(p.id, p.groups, p.circles, p.inService, p.outOfService);
    for (const badge of p.badges) {
      if (badge === '') continue;
      const holder = this.#badges.get(badge);
      if (holder === undefined) {
        this.#badges.set(badge, person);
        continue;
      }
      if (holder === person) continue;
      const shared = this.#sharedBadges.get(badge);
      if (shared === undefined) this.#sharedBadges.set(badge, [holder, person]);
      else shared.push(person);
    }
  }

  /**
   * The definition with this data entry code on (structure version, level), if any. `caseless`:
   * the device upper-cased the code it read, so a definition whose code differs only by case is
   * found too — unless two do, which is no match rather than a guess.
   */
  find(structureVersion: string, level: number, code: string, caseless = false): IndexedDefinition | undefined {
    const exact = this.#codes.get(structureVersion)?.levels[level]?.get(code);
    if (exact !== undefined || !caseless || this.#folded.size === 0) return exact;
    const folded = this.#folded.get(codeKey(structureVersion, level, code.toUpperCase()));
    return folded?.length === 1 ? folded[0] : undefined;
  }

  byId(id: string): IndexedDefinition | undefined {
    return this.#byId.get(id);
  }

  /**
   * The definition `def` names as its parent, if the index holds it. One pointer while that parent
   * is unchanged; looked up by id (and remembered) once a sync replaced it, deleted it, or brought
   * a parent that was missing.
   */
  parentOf(def: IndexedDefinition): IndexedDefinition | undefined {
    const known = def.parent;
    if (known !== undefined && known.live) return known;
    if (def.parentId === undefined) return undefined;
    return (def.parent = this.#byId.get(def.parentId));
  }

  /**
   * The person with this badge on `date`: of several carrying it, the one in service that day,
   * else the one whose service ended last before it (so the refusal names the likeliest holder).
   */
  personByBadge(badge: string, date: Day): IndexedPerson | undefined {
    // Nearly always no badge is shared: one probe, as before there were shared badges.
    const shared = this.#sharedBadges.size === 0 ? undefined : this.#sharedBadges.get(badge);
    if (shared === undefined) return this.#badges.get(badge);
    let best: IndexedPerson | undefined;
    for (const p of shared) {
      if (date >= p.inService && date <= p.outOfService) return p;
      if (best === undefined || p.outOfService > best.outOfService) best = p;
    }
    return best;
  }

  structureVersion(id: string): StructureVersion | undefined {
    return this.#structureVersions.get(id);
  }

  /** All definitions of a level, for prompts that list what may be chosen. */
  *definitionsOn(structureVersion: string, level: number): IterableIterator<IndexedDefinition> {
    const codes = this.#codes.get(structureVersion)?.levels[level];
    if (codes !== undefined) yield* codes.values();
  }
}

function codeKey(structureVersion: string, level: number, code: string): string {
  return `${structureVersion}\u0000${level}\u0000${code}`;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function pull<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) return;
  drop(list, value);
  if (list.length === 0) map.delete(key);
}

function drop<T>(list: T[], value: T): void {
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
}

function nonEmpty(record: Readonly<Record<string, string>>): Readonly<Record<string, string>> | undefined {
  return Object.keys(record).length === 0 ? undefined : record;
}

/** Whether upper-casing may change the code: it has a lower-case ASCII letter or a non-ASCII character. Digits, the usual codes, cost no string. */
function mayFold(code: string): boolean {
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || c > 0x7f) return true;
  }
  return false;
}
