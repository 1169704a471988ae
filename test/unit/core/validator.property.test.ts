import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CodeIndex } from '../../../src/core/codeIndex.js';
import { OPEN_END, OPEN_START, type Day } from '../../../src/core/day.js';
import type { Definition, Person, Restriction, Snapshot, Usage, UsageKind } from '../../../src/core/model.js';
import type { Reason } from '../../../src/core/reasons.js';
import { decideStep, type NoUsagePolicy } from '../../../src/core/validator.js';

/**
 * The index and validator against a reference that scans plain lists, on random models.
 * The reference follows DESIGN.md's rule list literally (consecutive levels, "the definition
 * chosen on L-1 is the parent"), which is what the dialogs generated here are.
 */

const SV = 'sv';
const LEVELS = 3;

interface Model {
  snapshot: Snapshot;
}

function naive(s: Snapshot, level: number, code: string, badge: string, date: Day, choices: Definition[], policy: NoUsagePolicy): { reason: Reason; id?: string } {
  if (s.syncedAt === undefined) return { reason: 'CACHE_EMPTY' };
  // Later entries win, like a Map.set.
  const people = s.people.filter((p) => p.badges.includes(badge));
  const p = people[people.length - 1];
  if (p === undefined || date < p.inService || date > p.outOfService) return { reason: 'UNKNOWN_BADGE' };
  const defs = s.definitions.filter((d) => d.structureVersion === SV && d.level === level && d.dataEntryCode === code);
  const d = defs[defs.length - 1];
  if (d === undefined) return { reason: 'UNKNOWN_CODE' };
  if (date < d.activeFrom) return { reason: 'NOT_YET_ACTIVE', id: d.id };
  if (date > d.activeUntil) return { reason: 'EXPIRED', id: d.id };
  const above = choices.find((c) => c.level === level - 1);
  if (d.parentId !== undefined && above !== undefined && above.id !== d.parentId) return { reason: 'WRONG_PARENT', id: d.id };
  for (const c of choices) {
    for (const r of s.restrictions) {
      if (r.definitionId === c.id && r.level === level && !r.allowed.includes(d.id)) return { reason: 'RESTRICTED', id: d.id };
    }
  }
  const mine = s.usages.filter((u) => u.definitionId === d.id);
  if (mine.length === 0) return policy === 'allow' ? { reason: 'ACCEPTED', id: d.id } : { reason: 'NO_USAGE', id: d.id };
  const covered = mine.some(
    (u) =>
      u.from <= date &&
      date <= u.until &&
      ((u.kind === 'Person' && u.reference === p.id) || (u.kind === 'Group' && p.groups.includes(u.reference)) || (u.kind === 'Circle' && p.circles.includes(u.reference))),
  );
  return covered ? { reason: 'ACCEPTED', id: d.id } : { reason: 'NO_USAGE', id: d.id };
}

const dayArb = fc.integer({ min: 0, max: 40 });
const boundedWindowArb = fc.tuple(fc.option(dayArb, { nil: undefined }), fc.option(dayArb, { nil: undefined })).map(([a, b]) => {
  const from = a ?? OPEN_START;
  const until = b === undefined ? OPEN_END : Math.max(b, a ?? b);
  return { from, until };
});
// Mostly open windows, so that random dialogs get past the early rules and exercise the later ones.
const windowArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ from: OPEN_START, until: OPEN_END }) },
  { weight: 2, arbitrary: boundedWindowArb },
);

const modelArb: fc.Arbitrary<Model> = fc
  .record({
    perLevel: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 25 })),
    codes: fc.array(fc.constantFrom('1', '01', '001', '2', '10', 'A', 'a', '26', '00026'), { minLength: 40, maxLength: 40 }),
    windows: fc.array(windowArb, { minLength: 40, maxLength: 40 }),
    parents: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    people: fc.array(
      fc.record({
        groups: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
        circles: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
        window: windowArb,
      }),
      { minLength: 10, maxLength: 12 },
    ),
    usages: fc.array(
      fc.record({ def: fc.nat(), kind: fc.constantFrom<UsageKind>('Person', 'Group', 'Circle'), ref: fc.integer({ min: 1, max: 8 }), window: boundedWindowArb }),
      { maxLength: 150 },
    ),
    restrictions: fc.array(fc.record({ def: fc.nat(), level: fc.integer({ min: 1, max: LEVELS }), allowed: fc.array(fc.nat(), { maxLength: 6 }) }), { maxLength: 10 }),
    synced: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
  })
  .map((r) => {
    const definitions: Definition[] = [];
    let n = 0;
    for (let level = 1; level <= LEVELS; level++) {
      const count = r.perLevel[level - 1] as number;
      const above = definitions.filter((d) => d.level === level - 1);
      for (let i = 0; i < count; i++, n++) {
        const w = r.windows[n % 40] as { from: Day; until: Day };
        const parentPick = r.parents[n % 40] as number;
        definitions.push({
          id: `d${n}`,
          structureVersion: SV,
          level,
          parentId: above.length === 0 || parentPick % 5 === 0 ? undefined : (above[parentPick % above.length] as Definition).id,
          // Codes may repeat on a level (bad upstream data): the index and reference both keep the last.
          dataEntryCode: r.codes[n % 40],
          shortCode: undefined,
          externalReference: undefined,
          name: { default: `n${n}`, translations: {} },
          info: undefined,
          activeFrom: w.from,
          activeUntil: w.until,
          changeVersion: undefined,
        });
      }
    }
    const people: Person[] = r.people.map((p, i) => ({
      id: i + 1,
      badges: [`b${i + 1}`],
      groups: p.groups,
      circles: p.circles,
      inService: p.window.from,
      outOfService: p.window.until,
    }));
    // Usages of one (definition, kind, reference) must not overlap upstream; keep the first of any that do.
    const usages: Usage[] = [];
    for (const u of r.usages) {
      const candidate: Usage = { definitionId: `d${u.def % n}`, kind: u.kind, reference: u.ref, from: u.window.from, until: u.window.until };
      const clash = usages.some((o) => o.definitionId === candidate.definitionId && o.kind === candidate.kind && o.reference === candidate.reference && o.from <= candidate.until && candidate.from <= o.until);
      if (!clash) usages.push(candidate);
    }
    const restrictions: Restriction[] = r.restrictions.map((x) => ({ definitionId: `d${x.def % n}`, level: x.level, allowed: x.allowed.map((a) => `d${a % n}`) }));
    return { snapshot: { syncedAt: r.synced ? 1 : undefined, structureVersions: [{ id: SV, levels: LEVELS }], definitions, usages, restrictions, people } };
  });

describe('the index and validator against a list-scanning reference', () => {
  it('agree on every step of random dialogs over random models, reaching every rule', () => {
    const reached = new Set<Reason>();
    fc.assert(
      fc.property(
        modelArb,
        fc.array(fc.record({
            badge: fc.integer({ min: 0, max: 12 }),
            date: dayArb,
            picks: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
            followParents: fc.boolean(),
            code: fc.constantFrom('1', '01', '001', '2', '10', 'A', '26', '00026', 'zz'),
          }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom<NoUsagePolicy>('deny', 'allow'),
        (model, probes, policy) => {
          const index = CodeIndex.build(model.snapshot);
          const defs = model.snapshot.definitions;
          for (const probe of probes) {
            // Earlier choices: one definition per level above the probed one, picked at random.
            for (let level = 1; level <= LEVELS; level++) {
              const choices: Definition[] = [];
              for (let l = 1; l < level; l++) {
                // Half the dialogs walk down the hierarchy, as real workers do; the others pick anything.
                const previous = choices[choices.length - 1];
                const children = defs.filter((d) => d.level === l && probe.followParents && previous !== undefined && d.parentId === previous.id);
                const onLevel = children.length > 0 ? children : defs.filter((d) => d.level === l);
                choices.push(onLevel[(probe.picks[l - 1] as number) % onLevel.length] as Definition);
              }
              const badge = `b${probe.badge}`;
              const expected = naive(model.snapshot, level, probe.code, badge, probe.date, choices, policy);
              const indexed = choices.map((c) => index.byId(c.id)).filter((c) => c !== undefined);
              const actual = decideStep(index, { structureVersion: SV, level, code: probe.code, badge, date: probe.date, choices: indexed }, { noUsagePolicy: policy });
              reached.add(expected.reason);
              expect({ reason: actual.reason, id: 'definition' in actual ? actual.definition?.id : undefined }).toEqual({ reason: expected.reason, id: expected.id });
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    // Agreement on early rejects alone proves little: the random models must get to every rule (each is reached dozens of times in 300 runs).
    expect([...reached].sort()).toEqual(['ACCEPTED', 'CACHE_EMPTY', 'EXPIRED', 'NOT_YET_ACTIVE', 'NO_USAGE', 'RESTRICTED', 'UNKNOWN_BADGE', 'UNKNOWN_CODE', 'WRONG_PARENT']);
  });
});
