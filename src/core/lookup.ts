import type { CodeIndex, IndexedDefinition } from './codeIndex.js';
import type { Day } from './day.js';
import { normaliseCode } from './input.js';
import type { Reason } from './reasons.js';
import { decideBadge, decideStep, type ValidatorOptions } from './validator.js';

export interface LookupInput {
  structureVersion: string;
  levels: readonly number[];
  badge: string;
  date: Day;
  /** The codes typed for the levels, in order (fewer codes than levels checks a partial dialog). */
  codes: readonly string[];
  language?: string | undefined;
}

export interface LookupStep {
  level: number;
  code: string;
  decision: Reason;
  definitionId?: string;
  name?: string;
  explanation: string;
}

export interface LookupResult {
  decision: Reason;
  steps: LookupStep[];
  /** Set when the badge itself was refused, before any code. */
  explanation?: string;
}

/**
 * `1,2,3` (after `--levels` or `?levels=`) as level numbers; undefined unless they are whole numbers
 * from 1, strictly increasing, as a terminal's levels must be (a repeated or backward level would
 * be walked as no terminal ever walks it).
 */
export function parseLevelList(text: string): number[] | undefined {
  const levels = text.split(',').map((l) => (l.trim() === '' ? Number.NaN : Number(l)));
  const valid = levels.every((l, i) => Number.isInteger(l) && l >= 1 && (i === 0 || l > (levels[i - 1] as number)));
  return valid ? levels : undefined;
}

/**
 * The levels a lookup walks: those asked for (undefined when they are no level list, see
 * parseLevelList), else the terminal's, else one per code from level 1.
 */
export function lookupLevels(asked: string | undefined, terminalLevels: readonly number[] | undefined, codeCount: number): number[] | undefined {
  if (asked !== undefined) return parseLevelList(asked);
  return terminalLevels === undefined ? Array.from({ length: codeCount }, (_, i) => i + 1) : [...terminalLevels];
}

/**
 * A whole dialog decided at once, exactly as a terminal would walk it: the first failing step's
 * reason, or ACCEPTED. Used by `ptgw lookup` (from the cache) and `GET /api/lookup` (live index).
 */
export function lookupDialog(index: CodeIndex, input: LookupInput, options: ValidatorOptions): LookupResult {
  const badge = decideBadge(index, input.badge, input.date);
  if (!badge.accepted) return { decision: badge.reason, steps: [], explanation: badge.explanation };
  const choices: IndexedDefinition[] = [];
  const steps: LookupStep[] = [];
  for (let i = 0; i < input.codes.length; i++) {
    const level = input.levels[i];
    // Typed as a keypad sends it: trimmed, compared exactly.
    const code = normaliseCode(input.codes[i] as string);
    if (level === undefined) {
      steps.push({ level: i + 1, code, decision: 'BAD_INPUT', explanation: `More codes than levels (${input.levels.join(', ')}).` });
      return { decision: 'BAD_INPUT', steps };
    }
    const d = decideStep(index, { structureVersion: input.structureVersion, level, code, badge: input.badge, date: input.date, choices }, options);
    const step: LookupStep = { level, code, decision: d.reason, explanation: d.explanation };
    if (d.definition !== undefined) {
      step.definitionId = d.definition.id;
      step.name = d.definition.displayName(input.language);
    }
    steps.push(step);
    if (!d.accepted) return { decision: d.reason, steps };
    choices.push(d.definition);
  }
  return { decision: 'ACCEPTED', steps };
}
