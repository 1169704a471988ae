import type { Day } from './day.js';
import { Interner } from './intern.js';
import type { Definition, Person, Snapshot, StructureVersion, Usage } from './model.js';
import { kindIndex, sortUsageTable, type UsageTable } from './usageTable.js';

/** A definition as the index holds it: resolved parent, packed usages, restrictions as sets. */
export class IndexedDefinition {
  parent: IndexedDefinition | undefined = undefined;
  usages: UsageTable | undefined = undefined;
  /** Level → the definitions allowed there once this one is chosen (several entries intersect). */
  restrictions: Map<number, ReadonlySet<IndexedDefinition>[]> | undefined = undefined;

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

export interface IndexStats {
  definitions: number;
  usages: number;
  restrictions: number;
  people: number;
}

/**
 * The immutable in-memory index every decision is made from. Built in O(n) from a snapshot;
 * lookups are hash-map probes: one Map per (structure version, level) keyed by data entry code,
 * and one Map keyed by badge. A new sync builds a new index and swaps the reference.
 */
export class CodeIndex {
  readonly populated: boolean;
  readonly syncedAt: number | undefined;
  readonly stats: IndexStats;
  readonly #codes: Map<string, (Map<string, IndexedDefinition> | undefined)[]>;
  readonly #byId: Map<string, IndexedDefinition>;
  /**
   * Codes with lower-case letters, keyed by (structure version, level, upper-cased code), for
   * devices whose profile upper-cases what they read; null where two such codes fold together.
   */
  readonly #folded = new Map<string, IndexedDefinition | null>();
  readonly #badges: Map<string, IndexedPerson>;
  /** Badges carried by more than one person (a badge handed from a leaver to a new hire): all of them, in snapshot order. */
  readonly #sharedBadges = new Map<string, IndexedPerson[]>();
  readonly #structureVersions: Map<string, StructureVersion>;

  private constructor(snapshot: Snapshot) {
    this.populated = snapshot.syncedAt !== undefined;
    this.syncedAt = snapshot.syncedAt;
    const interner = new Interner();
    this.#structureVersions = new Map(snapshot.structureVersions.map((sv) => [sv.id, sv]));
    this.#codes = new Map();
    this.#byId = new Map();
    const ordered: IndexedDefinition[] = [];
    for (const d of snapshot.definitions) ordered.push(this.#addDefinition(d, interner));
    for (const def of ordered) {
      if (def.parentId !== undefined) def.parent = this.#byId.get(def.parentId);
    }
    const usageCountTotal = this.#attachUsages(snapshot.usages, ordered);
    let restrictionCount = 0;
    for (const r of snapshot.restrictions) {
      const owner = this.#byId.get(r.definitionId);
      if (owner === undefined) continue;
      const allowed = new Set<IndexedDefinition>();
      for (const id of r.allowed) {
        const def = this.#byId.get(id);
        if (def !== undefined) allowed.add(def);
      }
      owner.restrictions ??= new Map();
      const list = owner.restrictions.get(r.level);
      if (list === undefined) owner.restrictions.set(r.level, [allowed]);
      else list.push(allowed);
      restrictionCount++;
    }
    this.#badges = new Map();
    for (const p of snapshot.people) this.#addPerson(p);
    this.stats = Object.freeze({
      definitions: this.#byId.size,
      usages: usageCountTotal,
      restrictions: restrictionCount,
      people: snapshot.people.length,
    });
  }

  static build(snapshot: Snapshot): CodeIndex {
    return new CodeIndex(snapshot);
  }

  #lastSv: { raw: string; interned: string; levels: (Map<string, IndexedDefinition> | undefined)[] } | undefined;

  #addDefinition(d: Definition, interner: Interner): IndexedDefinition {
    // Consecutive definitions nearly always share a structure version: skip the lookups then.
    let last = this.#lastSv;
    if (last === undefined || last.raw !== d.structureVersion) {
      const interned = interner.string(d.structureVersion);
      let levels = this.#codes.get(interned);
      if (levels === undefined) {
        levels = [];
        this.#codes.set(interned, levels);
      }
      last = { raw: d.structureVersion, interned, levels };
      this.#lastSv = last;
    }
    const sv = last.interned;
    const def = new IndexedDefinition(
      d.id,
      sv,
      d.level,
      d.dataEntryCode,
      interner.string(d.name.default),
      interner.record(d.name.translations),
      d.activeFrom,
      d.activeUntil,
      d.parentId,
    );
    this.#byId.set(d.id, def);
    if (d.dataEntryCode === undefined || d.dataEntryCode === '') return def;
    const levels = last.levels;
    let codes = levels[d.level];
    if (codes === undefined) {
      codes = new Map();
      levels[d.level] = codes;
    }
    codes.set(d.dataEntryCode, def);
    if (mayFold(d.dataEntryCode)) {
      const key = foldedKey(sv, d.level, d.dataEntryCode.toUpperCase());
      this.#folded.set(key, this.#folded.has(key) ? null : def);
    }
    return def;
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
    const exact = this.#codes.get(structureVersion)?.[level]?.get(code);
    if (exact !== undefined || !caseless || this.#folded.size === 0) return exact;
    return this.#folded.get(foldedKey(structureVersion, level, code.toUpperCase())) ?? undefined;
  }

  byId(id: string): IndexedDefinition | undefined {
    return this.#byId.get(id);
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
    const codes = this.#codes.get(structureVersion)?.[level];
    if (codes !== undefined) yield* codes.values();
  }
}

function foldedKey(structureVersion: string, level: number, upperCode: string): string {
  return `${structureVersion}\u0000${level}\u0000${upperCode}`;
}

/** Whether upper-casing may change the code: it has a lower-case ASCII letter or a non-ASCII character. Digits, the usual codes, cost no string. */
function mayFold(code: string): boolean {
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || c > 0x7f) return true;
  }
  return false;
}
