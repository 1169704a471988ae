import { OPEN_END, OPEN_START, parseDay, type Day } from '../../src/core/day.js';
import type { Definition, Person, Restriction, Snapshot, Usage, UsageKind } from '../../src/core/model.js';
import { fresh, prng } from './support.js';

export const BENCH_SV = 'b2347a7a-d60d-446f-b03b-7es2cc8c3281';
export const PROBE_DAY = parseDay('2025-06-15') as Day;
const GROUPS = 50;
const CIRCLES = 200;

export interface Probe {
  badge: string;
  level: number;
  code: string;
  choices: string[];
}

const NAME_POOL = Array.from({ length: 300 }, (_, i) => `${['Cleaning', 'Welding', 'Assembly', 'Packing', 'Repair', 'Inspection', 'Set-up', 'Picking', 'Loading', 'Painting'][i % 10]} ${Math.floor(i / 10) + 1}`);

function uuidish(n: number, rnd: () => number): string {
  const hex = (k: number): string => Array.from({ length: k }, () => Math.floor(rnd() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(n % 4) + 8}${hex(3)}-${hex(12)}`;
}

function window(rnd: () => number): { from: Day; until: Day } {
  const r = rnd();
  if (r < 0.8) return { from: OPEN_START, until: OPEN_END };
  if (r < 0.9) return { from: PROBE_DAY - 200, until: PROBE_DAY + 200 };
  if (r < 0.95) return { from: PROBE_DAY - 400, until: PROBE_DAY - 30 };
  return { from: PROBE_DAY + 30, until: OPEN_END };
}

/** A realistic tenant: 3 levels (1 % / 10 % / rest), shared names, 1–4 usages each, some heavy ones, 2 % restricted. */
export function generateModel(definitions: number, people: number, seed = 1): Snapshot {
  const rnd = prng(seed);
  const pick = (n: number): number => Math.floor(rnd() * n);
  const defs: Definition[] = [];
  const usages: Usage[] = [];
  const restrictions: Restriction[] = [];
  const n1 = Math.max(10, Math.floor(definitions * 0.01));
  const n2 = Math.max(20, Math.floor(definitions * 0.1));
  const n3 = Math.max(0, definitions - n1 - n2);
  const byLevel: Definition[][] = [[], [], [], []];
  const add = (level: number, i: number, parent: Definition | undefined): void => {
    const name = NAME_POOL[pick(NAME_POOL.length)] as string;
    const w = window(rnd);
    const code = level === 3 && i % 7 === 0 ? String(i).padStart(8, '0') : String((level === 1 ? 1 : level === 2 ? 10_000 : 1_000_000) + i);
    const d: Definition = {
      id: uuidish(i, rnd),
      structureVersion: BENCH_SV,
      level,
      parentId: parent?.id,
      dataEntryCode: code,
      shortCode: undefined,
      externalReference: undefined,
      name: { default: name, translations: rnd() < 0.2 ? { nl: `${name} (nl)` } : {} },
      info: undefined,
      activeFrom: w.from,
      activeUntil: w.until,
      changeVersion: String(i).padStart(20, '0'),
    };
    defs.push(d);
    (byLevel[level] as Definition[]).push(d);
    if (level === 1) usages.push({ definitionId: d.id, kind: 'Group', reference: 1, from: OPEN_START, until: OPEN_END });
    const heavy = rnd() < 0.001;
    const count = heavy ? 300 : 1 + pick(4);
    const seen = new Set<string>();
    for (let k = 0; k < count; k++) {
      const r = rnd();
      const kind: UsageKind = heavy || r < 0.2 ? 'Person' : r < 0.7 ? 'Group' : 'Circle';
      const reference = kind === 'Person' ? 1 + pick(people) : kind === 'Group' ? 1 + pick(GROUPS) : 1 + pick(CIRCLES);
      const key = `${kind}${reference}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const bounded = rnd() < 0.1;
      usages.push({ definitionId: d.id, kind, reference, from: bounded ? PROBE_DAY - 100 : OPEN_START, until: bounded ? PROBE_DAY + pick(200) - 100 : OPEN_END });
    }
  };
  for (let i = 0; i < n1; i++) add(1, i, undefined);
  for (let i = 0; i < n2; i++) add(2, i, byLevel[1]?.[pick(n1)]);
  for (let i = 0; i < n3; i++) add(3, i, byLevel[2]?.[pick(n2)]);
  for (const d of [...(byLevel[1] as Definition[]), ...(byLevel[2] as Definition[])]) {
    if (rnd() >= 0.02) continue;
    restrictions.push({ definitionId: d.id, level: 3, allowed: Array.from({ length: 20 }, () => (byLevel[3] as Definition[])[pick(n3)]?.id as string) });
  }
  const persons: Person[] = [];
  for (let id = 1; id <= people; id++) {
    const groups = [...new Set(Array.from({ length: 1 + pick(3) }, () => 1 + pick(GROUPS)))];
    const circles = [...new Set(Array.from({ length: pick(4) }, () => 1 + pick(CIRCLES)))];
    persons.push({ id, badges: [String(id).padStart(8, '0')], groups, circles, inService: OPEN_START, outOfService: rnd() < 0.02 ? PROBE_DAY - 10 : OPEN_END });
  }
  return { syncedAt: 1, structureVersions: [{ id: BENCH_SV, levels: 3 }], definitions: defs, usages, restrictions, people: persons };
}

/**
 * Dialog steps a shop floor would type: mostly operations the worker may book, under their
 * parents (the person is picked through one of the definition's usages), plus 10 % unknown codes
 * and 10 % random person/definition pairs (mostly NO_USAGE).
 */
export function generateProbes(model: Snapshot, count: number, seed = 2): Probe[] {
  const rnd = prng(seed);
  const pick = (n: number): number => Math.floor(rnd() * n);
  const byId = new Map(model.definitions.map((d) => [d.id, d]));
  const level3 = model.definitions.filter((d) => d.level === 3);
  const usagesOf = new Map<string, Usage[]>();
  for (const u of model.usages) {
    const list = usagesOf.get(u.definitionId);
    if (list === undefined) usagesOf.set(u.definitionId, [u]);
    else list.push(u);
  }
  const members = { Group: new Map<number, Person[]>(), Circle: new Map<number, Person[]>() };
  for (const p of model.people) {
    for (const g of p.groups) (members.Group.get(g) ?? members.Group.set(g, []).get(g))?.push(p);
    for (const c of p.circles) (members.Circle.get(c) ?? members.Circle.set(c, []).get(c))?.push(p);
  }
  const probes: Probe[] = [];
  for (let i = 0; i < count; i++) {
    const def = level3[pick(level3.length)] as Definition;
    let person = model.people[pick(model.people.length)] as Person;
    const r = rnd();
    const usage = (usagesOf.get(def.id) ?? [])[0];
    if (r < 0.8 && usage !== undefined) {
      if (usage.kind === 'Person') person = model.people[usage.reference - 1] ?? person;
      else {
        const list = members[usage.kind].get(usage.reference);
        if (list !== undefined && list.length > 0) person = list[pick(list.length)] as Person;
      }
    }
    const parent = def.parentId === undefined ? undefined : byId.get(def.parentId);
    const grand = parent?.parentId === undefined ? undefined : byId.get(parent.parentId);
    probes.push({
      badge: fresh(person.badges[0] as string),
      level: 3,
      code: fresh(r >= 0.9 ? `9${def.dataEntryCode as string}` : (def.dataEntryCode as string)),
      choices: [grand?.id, parent?.id].filter((x): x is string => x !== undefined),
    });
  }
  return probes;
}
