import { describe, expect, it } from 'vitest';
import { CodeIndex, type IndexedDefinition } from '../../../src/core/codeIndex.js';
import type { Day } from '../../../src/core/day.js';
import type { Definition, DefinitionChange, ModelChanges, Person, Restriction, Usage } from '../../../src/core/model.js';
import { decideStep } from '../../../src/core/validator.js';
import { day, def, person, restriction, snapshot, SV, usage } from '../../support/modelBuilder.js';

const TODAY = day('2025-06-15');

/** A small deterministic PRNG (mulberry32): every run of this test makes the same models and changes. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The model as the cache holds it, changed one definition at a time, as ModelStore reports it. */
class Model {
  readonly definitions = new Map<string, Definition>();
  readonly usages = new Map<string, Usage[]>();
  readonly restrictions = new Map<string, Restriction[]>();
  people: Person[] = [];
  #nextId = 0;
  #nextCode = 0;
  readonly #pick: (n: number) => number;
  readonly #rnd: () => number;

  constructor(readonly rnd: () => number) {
    this.#rnd = rnd;
    this.#pick = (n) => Math.floor(rnd() * n);
  }

  snapshot(): ReturnType<typeof snapshot> {
    return snapshot({
      definitions: [...this.definitions.values()],
      usages: [...this.usages.values()].flat(),
      restrictions: [...this.restrictions.values()].flat(),
      people: this.people,
    });
  }

  onLevel(level: number): Definition[] {
    return [...this.definitions.values()].filter((d) => d.level === level);
  }

  /** Codes are unique on a level (which of two equal codes wins depends on order: tested on its own); some differ only by case. */
  #code(level: number): string | undefined {
    if (this.#rnd() < 0.05) return undefined;
    const taken = new Set(this.onLevel(level).map((d) => d.dataEntryCode));
    for (;;) {
      const n = this.#rnd() < 0.3 ? this.#pick(10) : this.#nextCode++;
      const code = [`${n}`, `c${n}`, `C${n}`][this.#pick(3)] as string;
      if (!taken.has(code)) return code;
    }
  }

  /** A new state for `id` (new or changed): any field may differ from before. */
  change(id: string, level: number): DefinitionChange {
    const above = this.onLevel(level - 1);
    const r = this.#rnd();
    const definition = def({
      id,
      level,
      code: this.#code(level),
      name: `${id} v${this.#pick(1000)}`,
      ...(level > 1 && above.length > 0 && this.#rnd() < 0.9 ? { parent: (above[this.#pick(above.length)] as Definition).id } : {}),
      ...(level > 1 && this.#rnd() < 0.05 ? { parent: 'not-in-the-cache' } : {}),
    });
    if (r < 0.1) definition.activeUntil = (TODAY - 1) as Day;
    else if (r < 0.2) definition.activeFrom = (TODAY + 1) as Day;
    const usages: Usage[] = [];
    for (let k = this.#pick(4); k > 0; k--) {
      const kind = (['Person', 'Group', 'Circle'] as const)[this.#pick(3)] as Usage['kind'];
      usages.push({ ...usage(id, kind, kind === 'Person' ? 1 + this.#pick(12) : 1 + this.#pick(4), '2020-01-01'), ...(this.#rnd() < 0.2 ? { until: (TODAY - 5) as Day } : {}) });
    }
    const restrictions: Restriction[] = [];
    const below = this.onLevel(level + 1);
    if (below.length > 0 && this.#rnd() < 0.25) {
      const allowed = below.filter(() => this.#rnd() < 0.5).map((d) => d.id);
      // Sometimes a definition not yet synced: allowed once it arrives.
      restrictions.push(restriction(id, level + 1, this.#rnd() < 0.3 ? [...allowed, `d${this.#nextId + 1}`] : allowed));
    }
    return { id, definition, usages, restrictions };
  }

  newId(): string {
    return `d${++this.#nextId}`;
  }

  set(change: DefinitionChange): void {
    if (change.definition === undefined) {
      this.definitions.delete(change.id);
      this.usages.delete(change.id);
      this.restrictions.delete(change.id);
      return;
    }
    this.definitions.set(change.id, change.definition);
    this.usages.set(change.id, [...change.usages]);
    this.restrictions.set(change.id, [...change.restrictions]);
  }

  newPeople(): Person[] {
    return Array.from({ length: 12 }, (_, i) =>
      person({ id: i + 1, badge: `B${i + 1}`, groups: [1 + this.#pick(4)], circles: this.#rnd() < 0.5 ? [1 + this.#pick(4)] : [], ...(this.#rnd() < 0.1 ? { outOfService: '2020-01-01' } : {}) }),
    );
  }
}

/** A batch of changes, as one sync brings them: edits, deletions, new definitions, a deleted one back. */
function batch(model: Model, rnd: () => number, deleted: string[]): ModelChanges {
  const pick = (n: number): number => Math.floor(rnd() * n);
  const changes: DefinitionChange[] = [];
  for (let k = 1 + pick(8); k > 0; k--) {
    const existing = [...model.definitions.values()];
    const r = rnd();
    let change: DefinitionChange;
    if (r < 0.35 && existing.length > 0) {
      const d = existing[pick(existing.length)] as Definition;
      change = model.change(d.id, d.level);
    } else if (r < 0.55 && existing.length > 0) {
      const d = existing[pick(existing.length)] as Definition;
      deleted.push(d.id);
      change = { id: d.id, definition: undefined, usages: [], restrictions: [] };
    } else if (r < 0.65 && deleted.length > 0) {
      change = model.change(deleted.splice(pick(deleted.length), 1)[0] as string, 1 + pick(3));
    } else change = model.change(model.newId(), 1 + pick(3));
    model.set(change);
    changes.push(change);
  }
  const people = rnd() < 0.2 ? model.newPeople() : undefined;
  if (people !== undefined) model.people = people;
  return { syncedAt: rnd() < 0.5 ? 1000 + pick(1000) : undefined, structureVersions: undefined, definitions: changes, people };
}

/** Everything a terminal or the status page can learn from an index, for comparing two. */
function observe(index: CodeIndex, model: Model, rnd: () => number): unknown {
  const pick = (n: number): number => Math.floor(rnd() * n);
  const seen: unknown[] = [index.stats, index.populated];
  for (let level = 1; level <= 3; level++) {
    seen.push([...index.definitionsOn(SV, level)].map((d) => d.id).sort());
    for (const d of model.onLevel(level)) {
      const code = d.dataEntryCode ?? '';
      seen.push(index.find(SV, level, code)?.id, index.find(SV, level, code.toUpperCase(), true)?.id, index.find(SV, level, code.toLowerCase(), true)?.id);
    }
  }
  for (let i = 1; i <= 12; i++) seen.push(index.personByBadge(`B${i}`, TODAY)?.id);
  // Dialog steps: each definition's code, after choices made on the levels above: its own chain or
  // any, with a level sometimes skipped (a terminal that collects levels 1 and 3 walks two parents up).
  for (const d of model.definitions.values()) {
    if (d.dataEntryCode === undefined) continue;
    for (let i = 0; i < 4; i++) {
      const choices: IndexedDefinition[] = [];
      let own = d.parentId === undefined ? undefined : index.byId(d.parentId);
      for (let level = d.level - 1; level >= 1; level--) {
        const on = model.onLevel(level);
        const chosen = rnd() < 0.5 ? own : on.length === 0 ? undefined : index.byId((on[pick(on.length)] as Definition).id);
        if (chosen !== undefined && rnd() < 0.7) choices.unshift(chosen);
        own = own?.parentId === undefined ? undefined : index.byId(own.parentId);
      }
      const decision = decideStep(index, { structureVersion: SV, level: d.level, code: d.dataEntryCode, badge: `B${1 + pick(12)}`, date: TODAY, choices }, { noUsagePolicy: 'deny' });
      seen.push([decision.reason, decision.definition?.id, decision.explanation]);
    }
  }
  return seen;
}

describe('an index updated in place with what a sync changed', () => {
  it('decides every code like an index built afresh from the same model, batch after batch', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const rnd = prng(seed);
      const model = new Model(rnd);
      model.people = model.newPeople();
      for (let i = 0; i < 40; i++) model.set(model.change(model.newId(), 1 + Math.floor(i / 14)));
      const index = CodeIndex.build(model.snapshot());
      const deleted: string[] = [];
      for (let b = 0; b < 30; b++) {
        const changes = batch(model, rnd, deleted);
        index.apply(changes);
        const fresh = CodeIndex.build({ ...model.snapshot(), syncedAt: index.syncedAt });
        const probeSeed = seed * 1000 + b;
        expect(observe(index, model, prng(probeSeed)), `seed ${seed}, batch ${b}`).toEqual(observe(fresh, model, prng(probeSeed)));
      }
    }
  });

  it('finds the definition added last of two with one code on a level, and the other again once that one is gone', () => {
    const index = CodeIndex.build(snapshot({ definitions: [def({ id: 'old', level: 1, code: '7' })] }));
    const other: DefinitionChange = { id: 'new', definition: def({ id: 'new', level: 1, code: '7' }), usages: [], restrictions: [] };
    index.apply({ syncedAt: undefined, structureVersions: undefined, definitions: [other], people: undefined });
    expect(index.find(SV, 1, '7')?.id).toBe('new');
    index.apply({ syncedAt: undefined, structureVersions: undefined, definitions: [{ id: 'new', definition: undefined, usages: [], restrictions: [] }], people: undefined });
    expect(index.find(SV, 1, '7')?.id).toBe('old');
    index.apply({ syncedAt: undefined, structureVersions: undefined, definitions: [{ id: 'old', definition: undefined, usages: [], restrictions: [] }], people: undefined });
    expect(index.find(SV, 1, '7')).toBeUndefined();
    expect(index.stats.definitions).toBe(0);
  });

  it('becomes populated with the first sync, and counts what it holds', () => {
    const index = CodeIndex.build({ ...snapshot({}), syncedAt: undefined });
    expect(index.populated).toBe(false);
    index.apply({
      syncedAt: 5,
      structureVersions: undefined,
      definitions: [{ id: 'a', definition: def({ id: 'a', level: 1, code: '1' }), usages: [usage('a', 'Group', 1, '2020-01-01')], restrictions: [restriction('a', 2, ['b'])] }],
      people: [person({ id: 1, badge: 'B1', groups: [1] })],
    });
    expect(index.populated).toBe(true);
    expect(index.syncedAt).toBe(5);
    expect(index.stats).toEqual({ definitions: 1, usages: 1, restrictions: 1, people: 1 });
    index.apply({ syncedAt: undefined, structureVersions: undefined, definitions: [{ id: 'a', definition: undefined, usages: [], restrictions: [] }], people: undefined });
    expect(index.stats).toEqual({ definitions: 0, usages: 0, restrictions: 0, people: 1 });
    expect(index.syncedAt).toBe(5);
  });
});
