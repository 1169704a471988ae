import type { CodeIndex, IndexedDefinition, IndexedPerson } from './codeIndex.js';
import { formatDay, type Day } from './day.js';
import { inputProblem, MAX_BADGE_LENGTH, MAX_CODE_LENGTH, printable } from './input.js';
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
  badge: string;
  date: Day;
  /** Definitions accepted earlier in this dialog, in the order they were chosen. */
  choices: readonly IndexedDefinition[];
}

export type BadgeDecision =
  | { accepted: true; person: IndexedPerson }
  | { accepted: false; reason: RejectReason; explanation: string };

export type StepDecision =
  | { accepted: true; reason: 'ACCEPTED'; definition: IndexedDefinition; person: IndexedPerson; explanation: string }
  | { accepted: false; reason: RejectReason; explanation: string; definition?: IndexedDefinition };

function reject(reason: RejectReason, explanation: string, definition?: IndexedDefinition): StepDecision & BadgeDecision {
  return definition === undefined ? { accepted: false, reason, explanation } : { accepted: false, reason, explanation, definition };
}

/** Rule 1 (and CACHE_EMPTY, which makes every other rule meaningless): who is this badge, today? */
export function decideBadge(index: CodeIndex, badge: string, date: Day): BadgeDecision {
  if (!index.populated) return reject('CACHE_EMPTY', 'Nothing has been synced from Protime yet, so no code can be checked.');
  const problem = inputProblem(badge, MAX_BADGE_LENGTH);
  if (problem === 'empty' || problem === 'control') {
    return reject('BAD_INPUT', problem === 'empty' ? 'The badge read was empty.' : `The badge read "${printable(badge)}" contains control characters.`);
  }
  const person = problem === undefined ? index.personByBadge(badge) : undefined;
  if (person === undefined) return reject('UNKNOWN_BADGE', `Badge ${printable(badge)} belongs to no known person.`);
  if (date < person.inService) {
    return reject('UNKNOWN_BADGE', `Badge ${printable(badge)} belongs to person ${person.id}, who is not in service until ${formatDay(person.inService)}.`);
  }
  if (date > person.outOfService) {
    return reject('UNKNOWN_BADGE', `Badge ${printable(badge)} belongs to person ${person.id}, who is out of service since ${formatDay(person.outOfService)}.`);
  }
  return { accepted: true, person };
}

/**
 * One dialog step: the first failing rule of DESIGN.md, in its order, or ACCEPTED.
 * Every lookup is a hash probe or a walk bounded by the number of levels; no input throws.
 */
export function decideStep(index: CodeIndex, input: StepInput, options: ValidatorOptions): StepDecision {
  const badge = decideBadge(index, input.badge, input.date);
  if (!badge.accepted) return badge;
  const { person } = badge;

  const codeProblem = inputProblem(input.code, MAX_CODE_LENGTH);
  if (codeProblem === 'empty' || codeProblem === 'control') {
    return reject('BAD_INPUT', codeProblem === 'empty' ? 'No code was entered.' : `The code "${printable(input.code)}" contains control characters.`);
  }
  const label = `Code ${printable(input.code)}`;
  if (codeProblem === 'too-long') return reject('UNKNOWN_CODE', `${label} is longer than ${MAX_CODE_LENGTH} characters, so no definition can have it.`);
  const def = index.find(input.structureVersion, input.level, input.code);
  if (def === undefined) return reject('UNKNOWN_CODE', `${label} is not a definition on level ${input.level}.`);

  const named = `${label} (${def.name})`;
  if (input.date < def.activeFrom) return reject('NOT_YET_ACTIVE', `${named} is not active until ${formatDay(def.activeFrom)}.`, def);
  if (input.date > def.activeUntil) return reject('EXPIRED', `${named} expired on ${formatDay(def.activeUntil)}.`, def);

  const parentProblem = checkParent(def, input.choices);
  if (parentProblem !== undefined) return reject('WRONG_PARENT', `${named} ${parentProblem}`, def);

  for (const chosen of input.choices) {
    const sets: readonly ReadonlySet<IndexedDefinition>[] | undefined = chosen.restrictions?.get(def.level);
    if (sets === undefined) continue;
    for (const allowed of sets) {
      if (!allowed.has(def)) return reject('RESTRICTED', `${named} is not allowed on level ${def.level} after choosing ${chosen.code ?? chosen.id} (${chosen.name}).`, def);
    }
  }

  if (def.usages === undefined) {
    if (options.noUsagePolicy === 'deny') return reject('NO_USAGE', `${named} has no usages, so nobody may book on it.`, def);
  } else if (!usageCovers(def.usages, person, input.date)) {
    return reject('NO_USAGE', `${named} may not be used by person ${person.id} on ${formatDay(input.date)}.`, def);
  }
  return { accepted: true, reason: 'ACCEPTED', definition: def, person, explanation: `${named} accepted.` };
}

/**
 * The definition's ancestor on the level of the closest earlier choice above it must be that choice.
 * With consecutive levels this is "the parent is the definition chosen on L-1"; with a terminal
 * that skips a level it still enforces the hierarchy instead of silently ignoring it.
 */
function checkParent(def: IndexedDefinition, choices: readonly IndexedDefinition[]): string | undefined {
  if (def.parentId === undefined) return undefined;
  let above: IndexedDefinition | undefined;
  for (const c of choices) if (c.level < def.level && (above === undefined || c.level > above.level)) above = c;
  if (above === undefined) return undefined;
  // Bounded by the level distance, so a cycle in bad upstream data cannot hang a terminal.
  let ancestor: IndexedDefinition | undefined = def;
  for (let steps = def.level - above.level; steps > 0 && ancestor !== undefined; steps--) ancestor = ancestor.parent;
  if (ancestor === above) return undefined;
  return `does not belong under ${above.code ?? above.id} (${above.name}) chosen on level ${above.level}.`;
}
