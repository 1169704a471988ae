import type { CodeIndex, IndexedDefinition, IndexedPerson } from './codeIndex.js';
import { formatDay, type Day } from './day.js';
import { inputProblem, MAX_BADGE_LENGTH, MAX_CODE_LENGTH, printable, type InputProblem } from './input.js';
import type { RejectReason } from './reasons.js';
import { usageCovers } from './usageTable.js';

export type NoUsagePolicy = 'deny' | 'allow';

export interface ValidatorOptions {
  /** What a definition without any usage means; DESIGN.md: denied unless configured. */
  noUsagePolicy: NoUsagePolicy;
}

export interface StepInput {
  structureVersion: string;
  level: number;
  /** Already normalised by the device profile. */
  code: string;
  /** The profile upper-cased the code: it matches a definition's code without regard to case. */
  caseless?: boolean;
  badge: string;
  date: Day;
  /** Definitions accepted earlier in this dialog, in the order they were chosen. */
  choices: readonly IndexedDefinition[];
}

export type BadgeDecision =
  | { readonly accepted: true; readonly person: IndexedPerson }
  | { readonly accepted: false; readonly reason: RejectReason; readonly explanation: string };

export type StepDecision =
  | { readonly accepted: true; readonly reason: 'ACCEPTED'; readonly definition: IndexedDefinition; readonly person: IndexedPerson; readonly explanation: string }
  | { readonly accepted: false; readonly reason: RejectReason; readonly explanation: string; readonly definition: IndexedDefinition | undefined };

/** Why a rejection happened in detail; the explanation is written from it only when someone reads it. */
type Detail =
  | { kind: 'empty-cache' }
  | { kind: 'badge-input'; problem: InputProblem; badge: string }
  | { kind: 'no-person'; badge: string }
  | { kind: 'not-in-service'; badge: string; person: IndexedPerson; until: boolean }
  | { kind: 'code-input'; problem: InputProblem; code: string; level: number }
  | { kind: 'no-definition'; code: string; level: number }
  | { kind: 'window'; code: string }
  | { kind: 'parent'; code: string; above: IndexedDefinition }
  | { kind: 'restricted'; code: string; by: IndexedDefinition }
  | { kind: 'no-usages'; code: string }
  | { kind: 'not-covered'; code: string; person: IndexedPerson; date: Day };

function named(code: string, def: IndexedDefinition): string {
  return `Code ${printable(code)} (${def.name})`;
}

function label(def: IndexedDefinition): string {
  return `${def.code ?? def.id} (${def.name})`;
}

/**
 * One object per decision and no strings: explanations (escaped codes, formatted dates) cost more
 * than the decision itself, and most are never read.
 */
class Rejection {
  readonly accepted = false;
  constructor(
    readonly reason: RejectReason,
    readonly definition: IndexedDefinition | undefined,
    private readonly detail: Detail,
  ) {}

  get explanation(): string {
    const d = this.detail;
    const def = this.definition as IndexedDefinition;
    switch (d.kind) {
      case 'empty-cache':
        return 'Nothing has been synced from Protime yet, so no code can be checked.';
      case 'badge-input':
        return d.problem === 'empty' ? 'The badge read was empty.' : `The badge read "${printable(d.badge)}" contains control characters.`;
      case 'no-person':
        return `Badge ${printable(d.badge)} belongs to no known person.`;
      case 'not-in-service':
        return d.until
          ? `Badge ${printable(d.badge)} belongs to person ${d.person.id}, who is not in service until ${formatDay(d.person.inService)}.`
          : `Badge ${printable(d.badge)} belongs to person ${d.person.id}, who is out of service since ${formatDay(d.person.outOfService)}.`;
      case 'code-input':
        if (d.problem === 'empty') return 'No code was entered.';
        if (d.problem === 'control') return `The code "${printable(d.code)}" contains control characters.`;
        return `Code ${printable(d.code)} is longer than ${MAX_CODE_LENGTH} characters, so no definition can have it.`;
      case 'no-definition':
        return `Code ${printable(d.code)} is not a definition on level ${d.level}.`;
      case 'window':
        return this.reason === 'NOT_YET_ACTIVE' ? `${named(d.code, def)} is not active until ${formatDay(def.activeFrom)}.` : `${named(d.code, def)} expired on ${formatDay(def.activeUntil)}.`;
      case 'parent':
        return `${named(d.code, def)} does not belong under ${label(d.above)} chosen on level ${d.above.level}.`;
      case 'restricted':
        return `${named(d.code, def)} is not allowed on level ${def.level} after choosing ${label(d.by)}.`;
      case 'no-usages':
        return `${named(d.code, def)} has no usages, so nobody may book on it.`;
      case 'not-covered':
        return `${named(d.code, def)} may not be used by person ${d.person.id} on ${formatDay(d.date)}.`;
    }
  }
}

class Acceptance {
  readonly accepted = true;
  readonly reason = 'ACCEPTED';
  constructor(
    readonly definition: IndexedDefinition,
    readonly person: IndexedPerson,
    private readonly code: string,
  ) {}

  get explanation(): string {
    return `${named(this.code, this.definition)} accepted.`;
  }
}

/** Rule 1 and CACHE_EMPTY: the person, or why not; allocates only on rejection. */
function personFor(index: CodeIndex, badge: string, date: Day): IndexedPerson | Rejection {
  if (!index.populated) return new Rejection('CACHE_EMPTY', undefined, { kind: 'empty-cache' });
  const problem = inputProblem(badge, MAX_BADGE_LENGTH);
  if (problem === 'empty' || problem === 'control') return new Rejection('BAD_INPUT', undefined, { kind: 'badge-input', problem, badge });
  const person = problem === undefined ? index.personByBadge(badge, date) : undefined;
  if (person === undefined) return new Rejection('UNKNOWN_BADGE', undefined, { kind: 'no-person', badge });
  if (date < person.inService) return new Rejection('UNKNOWN_BADGE', undefined, { kind: 'not-in-service', badge, person, until: true });
  if (date > person.outOfService) return new Rejection('UNKNOWN_BADGE', undefined, { kind: 'not-in-service', badge, person, until: false });
  return person;
}

/** Who is this badge, today? (Rule 1, at the start of a dialog.) */
export function decideBadge(index: CodeIndex, badge: string, date: Day): BadgeDecision {
  const person = personFor(index, badge, date);
  return person instanceof Rejection ? (person as BadgeDecision) : { accepted: true, person };
}

/**
 * One dialog step: the first failing rule of DESIGN.md, in its order, or ACCEPTED.
 * Every lookup is a hash probe or a walk bounded by the number of levels; no input throws.
 */
export function decideStep(index: CodeIndex, input: StepInput, options: ValidatorOptions): StepDecision {
  const person = personFor(index, input.badge, input.date);
  if (person instanceof Rejection) return person as StepDecision;

  const { code, level, date } = input;
  const problem = inputProblem(code, MAX_CODE_LENGTH);
  if (problem === 'empty' || problem === 'control') return new Rejection('BAD_INPUT', undefined, { kind: 'code-input', problem, code, level }) as StepDecision;
  if (problem === 'too-long') return new Rejection('UNKNOWN_CODE', undefined, { kind: 'code-input', problem, code, level }) as StepDecision;
  const def = index.find(input.structureVersion, level, code, input.caseless === true);
  if (def === undefined) return new Rejection('UNKNOWN_CODE', undefined, { kind: 'no-definition', code, level }) as StepDecision;

  if (date < def.activeFrom) return new Rejection('NOT_YET_ACTIVE', def, { kind: 'window', code }) as StepDecision;
  if (date > def.activeUntil) return new Rejection('EXPIRED', def, { kind: 'window', code }) as StepDecision;

  const above = wrongParent(index, def, input.choices);
  if (above !== undefined) return new Rejection('WRONG_PARENT', def, { kind: 'parent', code, above }) as StepDecision;

  for (const chosen of input.choices) {
    const sets = chosen.restrictions?.get(def.level);
    if (sets === undefined) continue;
    for (const allowed of sets) if (!allowed.has(def.id)) return new Rejection('RESTRICTED', def, { kind: 'restricted', code, by: chosen }) as StepDecision;
  }

  if (def.usages === undefined) {
    if (options.noUsagePolicy === 'deny') return new Rejection('NO_USAGE', def, { kind: 'no-usages', code }) as StepDecision;
  } else if (!usageCovers(def.usages, person, date)) {
    return new Rejection('NO_USAGE', def, { kind: 'not-covered', code, person, date }) as StepDecision;
  }
  return new Acceptance(def, person, code) as StepDecision;
}

/**
 * The definition's ancestor on the level of the closest earlier choice above it must be that
 * choice; returns that choice when it is not. With consecutive levels this is "the parent is the
 * definition chosen on L-1"; with a terminal that skips a level it still enforces the hierarchy,
 * and a chain that ends on a skipped level (an ancestor without a parent) fits under any choice.
 */
function wrongParent(index: CodeIndex, def: IndexedDefinition, choices: readonly IndexedDefinition[]): IndexedDefinition | undefined {
  if (def.parentId === undefined) return undefined;
  let above: IndexedDefinition | undefined;
  for (const c of choices) if (c.level < def.level && (above === undefined || c.level > above.level)) above = c;
  if (above === undefined) return undefined;
  let ancestor: IndexedDefinition = def;
  // Bounded by the level distance, so a cycle in bad upstream data cannot hang a terminal.
  for (let steps = def.level - above.level; steps > 0 && ancestor.level > above.level; steps--) {
    if (ancestor.parentId === undefined) return undefined;
    const parent = index.parentOf(ancestor);
    // A parent named but not in the cache: nothing chosen can be it.
    if (parent === undefined) return above;
    ancestor = parent;
  }
  return ancestor.id === above.id ? undefined : above;
}
