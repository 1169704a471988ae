import type { SiteCalendar } from './clock.js';
import type { CodeIndex, IndexedDefinition } from './codeIndex.js';
import type { Day } from './day.js';
import { REASON_TEXT, type RejectReason } from './reasons.js';
import { decideBadge, decideStep, type ValidatorOptions } from './validator.js';

/**
 * The terminal dialog as a pure state machine: events in, a new state plus replies and effects out.
 * The driver (src/terminal) runs effects first — a `record` must be durably committed — and only
 * then writes the replies, so a worker never sees "accepted" for a selection that was not stored.
 */

export interface DialogSpec {
  terminalId: string;
  structureVersion: string;
  /** Levels collected, in order. */
  levels: readonly number[];
  timeoutMs: number;
  language: string | undefined;
  /** Rejections in a row after which the dialog gives up (DESIGN.md: 3). */
  maxRejects: number;
}

export interface DialogContext {
  spec: DialogSpec;
  index: CodeIndex;
  calendar: SiteCalendar;
  validator: ValidatorOptions;
}

export interface Choice {
  level: number;
  definitionId: string;
  code: string;
  name: string;
}

export type DialogState =
  | { phase: 'idle' }
  | {
      phase: 'collecting';
      badge: string;
      personId: number;
      /** The date D of the whole dialog, the site's date at the badge read: every code is checked on it and the clocking carries it. */
      day: Day;
      /** Index into spec.levels of the level being prompted. */
      step: number;
      choices: readonly Choice[];
      rejects: number;
      /** When the dialog times out, on the events' monotonic `mono` clock. */
      deadline: number;
    };

export const IDLE: DialogState = Object.freeze({ phase: 'idle' });

/**
 * `at` is the wall clock (ms since the epoch): the site's date and time of day. `mono` is a
 * monotonic clock (ms from any origin): the inactivity timeout runs on it, so a wall clock set back
 * or ahead (NTP) neither holds a dialog open for the next worker nor cuts it short.
 */
export type DialogEvent =
  | { type: 'badge'; value: string; at: number; mono: number }
  | { type: 'code'; value: string; at: number; mono: number; caseless?: boolean }
  | { type: 'cancel'; at: number; mono: number }
  | { type: 'tick'; at: number; mono: number };

export type Reply =
  | { kind: 'prompt'; level: number; text: string; name: string; code: string }
  | { kind: 'accept'; level: number; text: string; name: string; code: string }
  | { kind: 'reject'; reason: RejectReason; level: number | undefined; text: string; explanation: string; name: string; code: string }
  | { kind: 'idle'; text: string };

export interface Selection {
  terminalId: string;
  badge: string;
  personId: number;
  structureVersion: string;
  date: Day;
  /** Minutes since the start of `date`, 1440 or more for a dialog finished after midnight (the API takes up to 2880: overnight). */
  minuteOfDay: number;
  at: number;
  levels: readonly Choice[];
}

export type Effect = { type: 'record'; selection: Selection };

export interface DialogOutput {
  state: DialogState;
  replies: Reply[];
  effects: Effect[];
}

const IDLE_TEXT = 'Present badge';

function out(state: DialogState, replies: Reply[], effects: Effect[] = []): DialogOutput {
  return { state, replies, effects };
}

function rejectReply(reason: RejectReason, explanation: string, level: number | undefined, code = '', name = '', text = REASON_TEXT[reason]): Reply {
  return { kind: 'reject', reason, level, text, explanation, name, code };
}

function promptReply(level: number, previous: Choice | undefined): Reply {
  return { kind: 'prompt', level, text: `Level ${level}`, name: previous?.name ?? '', code: previous?.code ?? '' };
}

/** When (on the `mono` clock) the driver should send a `tick`, or undefined when nothing is pending. */
export function deadlineOf(state: DialogState): number | undefined {
  return state.phase === 'collecting' ? state.deadline : undefined;
}

export function dialogStep(ctx: DialogContext, state: DialogState, event: DialogEvent): DialogOutput {
  switch (event.type) {
    case 'badge':
      return startDialog(ctx, state, event);
    case 'cancel':
      if (state.phase === 'idle') return out(IDLE, [{ kind: 'idle', text: IDLE_TEXT }]);
      return out(IDLE, [rejectReply('CANCELLED', 'The dialog was cancelled at the terminal.', currentLevel(ctx, state)), { kind: 'idle', text: IDLE_TEXT }]);
    case 'tick':
      if (state.phase === 'idle' || event.mono < state.deadline) return out(state, []);
      return timedOut(ctx, state);
    case 'code':
      // "Bad input" beside the code told the worker the code was wrong; it is the badge that is missing.
      if (state.phase === 'idle') return out(IDLE, [rejectReply('BAD_INPUT', 'Present your badge before entering a code.', undefined, event.value, '', 'Present badge first')]);
      // A code that arrives after the deadline, before the driver's tick ran, ends the dialog as the tick would have.
      if (event.mono >= state.deadline) return timedOut(ctx, state);
      return enterCode(ctx, state, event);
  }
}

function timedOut(ctx: DialogContext, state: DialogState & { phase: 'collecting' }): DialogOutput {
  return out(IDLE, [
    rejectReply('TIMEOUT', `No input for ${Math.round(ctx.spec.timeoutMs / 1000)} s; the dialog was abandoned.`, currentLevel(ctx, state)),
    { kind: 'idle', text: IDLE_TEXT },
  ]);
}

function currentLevel(ctx: DialogContext, state: DialogState & { phase: 'collecting' }): number | undefined {
  return ctx.spec.levels[state.step];
}

function startDialog(ctx: DialogContext, before: DialogState, { value: badge, at, mono }: DialogEvent & { type: 'badge' }): DialogOutput {
  const date = ctx.calendar.localTime(at).day;
  const decision = decideBadge(ctx.index, badge, date);
  if (!decision.accepted) {
    const reply = rejectReply(decision.reason, decision.explanation, undefined);
    // A refused badge in the middle of a dialog ends it: the display must leave that dialog's prompt.
    return out(IDLE, before.phase === 'collecting' ? [reply, { kind: 'idle', text: IDLE_TEXT }] : [reply]);
  }
  const first = ctx.spec.levels[0] as number;
  const state: DialogState = { phase: 'collecting', badge, personId: decision.person.id, day: date, step: 0, choices: [], rejects: 0, deadline: mono + ctx.spec.timeoutMs };
  return out(state, [promptReply(first, undefined)]);
}

function enterCode(ctx: DialogContext, state: DialogState & { phase: 'collecting' }, { value: code, at, mono, caseless }: DialogEvent & { type: 'code' }): DialogOutput {
  const level = ctx.spec.levels[state.step] as number;
  // Choices are kept by id and resolved against the current index, which a sync may have swapped.
  const chosen: IndexedDefinition[] = [];
  for (const c of state.choices) {
    const def = ctx.index.byId(c.definitionId);
    if (def === undefined) {
      return out(IDLE, [
        rejectReply('UNKNOWN_CODE', `Code ${c.code} chosen on level ${c.level} was removed by a sync during this dialog; start again.`, c.level, c.code, c.name),
        { kind: 'idle', text: IDLE_TEXT },
      ]);
    }
    chosen.push(def);
  }
  const decision = decideStep(
    ctx.index,
    { structureVersion: ctx.spec.structureVersion, level, code, caseless, badge: state.badge, date: state.day, choices: chosen },
    ctx.validator,
  );
  if (!decision.accepted) {
    const name = decision.definition?.displayName(ctx.spec.language) ?? '';
    const reply = rejectReply(decision.reason, decision.explanation, level, code, name);
    // A badge that stopped being valid mid-dialog, or a cache that vanished, ends the dialog at once.
    const fatal = decision.reason === 'UNKNOWN_BADGE' || decision.reason === 'CACHE_EMPTY';
    const rejects = state.rejects + 1;
    if (fatal || rejects >= ctx.spec.maxRejects) return out(IDLE, [reply, { kind: 'idle', text: IDLE_TEXT }]);
    return out({ ...state, rejects, deadline: mono + ctx.spec.timeoutMs }, [reply]);
  }
  const def = decision.definition;
  const choice: Choice = { level, definitionId: def.id, code: def.code ?? code, name: def.displayName(ctx.spec.language) };
  const choices = [...state.choices, choice];
  const nextStep = state.step + 1;
  const nextLevel = ctx.spec.levels[nextStep];
  if (nextLevel !== undefined) {
    return out({ ...state, step: nextStep, choices, rejects: 0, deadline: mono + ctx.spec.timeoutMs }, [promptReply(nextLevel, choice)]);
  }
  // A dialog begun before midnight and finished after it stays on the badge's date, where every
  // choice was checked: dated by its last code, it could carry a definition expired that night.
  const local = ctx.calendar.localTime(at);
  const selection: Selection = {
    terminalId: ctx.spec.terminalId,
    badge: state.badge,
    personId: state.personId,
    structureVersion: ctx.spec.structureVersion,
    date: state.day,
    minuteOfDay: local.minuteOfDay + 1440 * (local.day - state.day),
    at,
    levels: choices,
  };
  return out(IDLE, [{ kind: 'accept', level, text: REASON_TEXT.ACCEPTED, name: choice.name, code: choice.code }], [{ type: 'record', selection }]);
}
