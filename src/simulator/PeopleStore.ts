import { PtgwError } from '../core/errors.js';
import type { ChangeCounter } from './ChangeCounter.js';
import { ChangeLog } from './ChangeLog.js';
import type { FixturePerson } from './fixtureSchema.js';

export interface PersonRecord extends FixturePerson {
  changeVersion: number;
}

/**
 * People with the indexes their filters and external references need: by badge, by employee
 * number, and the members of each group (`org-tree`) and circle. One change log: the people
 * collection is one delta collection.
 */
export class PeopleStore {
  readonly log = new ChangeLog<number>();
  readonly #byId = new Map<number, PersonRecord>();
  readonly #byBadge = new Map<string, PersonRecord>();
  readonly #byEmployee = new Map<string, PersonRecord>();
  readonly #groups = new Map<number, Set<number>>();
  readonly #circles = new Map<number, Set<number>>();

  constructor(private readonly counter: ChangeCounter) {}

  get(id: number): PersonRecord | undefined {
    return this.#byId.get(id);
  }

  byBadge(badge: string): PersonRecord | undefined {
    return this.#byBadge.get(badge);
  }

  byEmployeeNumber(employeeNumber: string): PersonRecord | undefined {
    return this.#byEmployee.get(employeeNumber);
  }

  inGroup(group: number): ReadonlySet<number> {
    return this.#groups.get(group) ?? new Set();
  }

  inCircle(circle: number): ReadonlySet<number> {
    return this.#circles.get(circle) ?? new Set();
  }

  upsert(person: FixturePerson): PersonRecord {
    const badgeHolder = person.badgeNumber === undefined ? undefined : this.#byBadge.get(person.badgeNumber);
    if (badgeHolder !== undefined && badgeHolder.id !== person.id) throw new PtgwError('INVALID_ARGUMENT', `Person ${person.id} would share badge ${person.badgeNumber} with person ${badgeHolder.id}.`);
    const existing = this.#byId.get(person.id);
    if (existing !== undefined) this.#unindex(existing);
    const record: PersonRecord = { ...person, groups: [...person.groups], circles: [...person.circles], changeVersion: this.counter.next() };
    this.#byId.set(record.id, record);
    this.#index(record);
    this.log.record(record.changeVersion, record.id, false);
    return record;
  }

  delete(id: number): boolean {
    const existing = this.#byId.get(id);
    if (existing === undefined) return false;
    this.#unindex(existing);
    this.#byId.delete(id);
    this.log.record(this.counter.next(), id, true);
    return true;
  }

  #index(p: PersonRecord): void {
    if (p.badgeNumber !== undefined) this.#byBadge.set(p.badgeNumber, p);
    if (p.employeeNumber !== undefined) this.#byEmployee.set(p.employeeNumber, p);
    for (const g of p.groups) addMember(this.#groups, g, p.id);
    for (const c of p.circles) addMember(this.#circles, c, p.id);
  }

  #unindex(p: PersonRecord): void {
    if (p.badgeNumber !== undefined) this.#byBadge.delete(p.badgeNumber);
    if (p.employeeNumber !== undefined) this.#byEmployee.delete(p.employeeNumber);
    for (const g of p.groups) this.#groups.get(g)?.delete(p.id);
    for (const c of p.circles) this.#circles.get(c)?.delete(p.id);
  }
}

function addMember(index: Map<number, Set<number>>, key: number, id: number): void {
  let members = index.get(key);
  if (members === undefined) {
    members = new Set();
    index.set(key, members);
  }
  members.add(id);
}
