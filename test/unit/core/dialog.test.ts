import { beforeAll, describe, expect, it } from 'vitest';
import { SiteCalendar } from '../../../src/core/clock.js';
import { CodeIndex } from '../../../src/core/codeIndex.js';
import { formatDay } from '../../../src/core/day.js';
import { deadlineOf, dialogStep, IDLE, type DialogContext, type DialogEvent, type DialogOutput, type DialogState } from '../../../src/core/dialog.js';
import { IDS, seedModel } from '../../fixtures/seedModel.js';
import { day, def, person, snapshot, SV, usage } from '../../support/modelBuilder.js';

const T0 = Date.parse('2025-03-04T07:07:00Z'); // 08:07 in Brussels
let ctx: DialogContext;

beforeAll(() => {
  ctx = {
    spec: { terminalId: 'T7', structureVersion: SV, levels: [1, 2, 3], timeoutMs: 15_000, language: 'nl', maxRejects: 3 },
    index: CodeIndex.build(seedModel()),
    calendar: new SiteCalendar('Europe/Brussels'),
    validator: { noUsagePolicy: 'deny' },
  };
});

/** Plays events one second apart and returns every output. */
function play(events: ((at: number) => DialogEvent)[], state: DialogState = IDLE, start = T0): { outputs: DialogOutput[]; state: DialogState } {
  const outputs: DialogOutput[] = [];
  let at = start;
  for (const e of events) {
    const o = dialogStep(ctx, state, e(at));
    outputs.push(o);
    state = o.state;
    at += 1000;
  }
  return { outputs, state };
}
/** An event's times where the wall clock and the monotonic one agree (the wall clock is not set). */
const time = (at: number) => ({ at, mono: at });
const badge = (value: string) => (at: number): DialogEvent => ({ type: 'badge', value, ...time(at) });
const code = (value: string) => (at: number): DialogEvent => ({ type: 'code', value, ...time(at) });
const cancel = () => (at: number): DialogEvent => ({ type: 'cancel', ...time(at) });

describe('the terminal dialog', () => {
  it('walks badge → department → order → operation and records the selection before accepting', () => {
    const { outputs, state } = play([badge('0001234'), code('1'), code('100'), code('00026')]);
    expect(outputs.map((o) => o.replies.map((r) => r.kind))).toEqual([['prompt'], ['prompt'], ['prompt'], ['accept']]);
    expect(outputs[0]?.replies[0]).toMatchObject({ kind: 'prompt', level: 1 });
    expect(outputs[1]?.replies[0]).toMatchObject({ kind: 'prompt', level: 2, name: 'Onderhoud', code: '1' });
    const last = outputs[3] as DialogOutput;
    expect(last.replies[0]).toMatchObject({ kind: 'accept', name: 'Schoonmaken', code: '00026' });
    expect(last.effects).toHaveLength(1);
    const selection = last.effects[0]?.selection;
    expect(selection).toMatchObject({ terminalId: 'T7', badge: '0001234', personId: 1234, structureVersion: SV, minuteOfDay: 487 });
    expect(formatDay(selection?.date ?? 0)).toBe('2025-03-04');
    expect(selection?.levels.map((l) => [l.level, l.definitionId, l.code])).toEqual([
      [1, IDS.maintenance, '1'],
      [2, IDS.order100, '100'],
      [3, IDS.cleaning, '00026'],
    ]);
    expect(state).toEqual(IDLE);
  });

  it('rejects an unknown badge and stays idle', () => {
    const { outputs, state } = play([badge('nobody')]);
    expect(outputs[0]?.replies).toEqual([expect.objectContaining({ kind: 'reject', reason: 'UNKNOWN_BADGE', text: 'Unknown badge' })]);
    expect(state).toEqual(IDLE);
  });

  it('asks for a badge when a code comes first', () => {
    const { outputs, state } = play([code('1')]);
    // Not "Bad input": the code may well be right, the badge is what is missing.
    expect(outputs[0]?.replies[0]).toMatchObject({ kind: 'reject', reason: 'BAD_INPUT', text: 'Present badge first' });
    expect(state).toEqual(IDLE);
  });

  const rejects: [string, string[], string][] = [
    ['UNKNOWN_CODE', ['1', '100', '999'], 'UNKNOWN_CODE'],
    ['WRONG_PARENT', ['1', '100', '300'], 'WRONG_PARENT'],
    ['RESTRICTED', ['1', '100', '400'], 'RESTRICTED'],
    ['BAD_INPUT', ['1', '100', '\u0007'], 'BAD_INPUT'],
  ];
  for (const [what, codes, reason] of rejects) {
    it(`replies ${what} and prompts the same level again`, () => {
      const { outputs, state } = play([badge('0001234'), ...codes.map(code)]);
      const last = outputs[outputs.length - 1] as DialogOutput;
      expect(last.replies).toEqual([expect.objectContaining({ kind: 'reject', reason, level: 3 })]);
      expect(last.effects).toEqual([]);
      expect(state).toMatchObject({ phase: 'collecting', step: 2, rejects: 1 });
      // The worker corrects the code and the dialog completes.
      const fixed = dialogStep(ctx, state, { type: 'code', value: '26', ...time(T0 + 10_000) });
      expect(fixed.replies[0]).toMatchObject({ kind: 'accept', name: 'Painting' });
    });
  }

  it('replies NOT_YET_ACTIVE, EXPIRED and NO_USAGE with the definition named', () => {
    const early = play([badge('0000005'), code('1'), code('100'), code('00026')], IDLE, Date.parse('2024-12-31T10:00:00Z'));
    expect(early.outputs[3]?.replies[0]).toMatchObject({ reason: 'NOT_YET_ACTIVE', name: 'Schoonmaken' });
    const late = play([badge('0001234'), code('1'), code('100'), code('20003')], IDLE, Date.parse('2025-10-01T10:00:00Z'));
    expect(late.outputs[3]?.replies[0]).toMatchObject({ reason: 'EXPIRED' });
    const nobody = play([badge('0000077'), code('1'), code('100'), code('00026')]);
    expect(nobody.outputs[3]?.replies[0]).toMatchObject({ reason: 'NO_USAGE' });
  });

  it('goes idle after three rejections in a row', () => {
    const { outputs, state } = play([badge('0001234'), code('9'), code('8'), code('7')]);
    expect(outputs[1]?.state).toMatchObject({ rejects: 1 });
    expect(outputs[2]?.state).toMatchObject({ rejects: 2 });
    expect(outputs[3]?.replies.map((r) => r.kind)).toEqual(['reject', 'idle']);
    expect(state).toEqual(IDLE);
  });

  it('counts rejections in a row only: an accepted step resets the count', () => {
    const { state } = play([badge('0001234'), code('9'), code('8'), code('1'), code('9'), code('8')]);
    expect(state).toMatchObject({ phase: 'collecting', step: 1, rejects: 2 });
  });

  it('cancels back to idle', () => {
    const { outputs, state } = play([badge('0001234'), code('1'), cancel()]);
    expect(outputs[2]?.replies).toEqual([expect.objectContaining({ kind: 'reject', reason: 'CANCELLED', level: 2 }), expect.objectContaining({ kind: 'idle' })]);
    expect(state).toEqual(IDLE);
  });

  it('times out after the inactivity timeout, not before', () => {
    const { state } = play([badge('0001234'), code('1')]);
    const deadline = deadlineOf(state) as number;
    expect(deadline).toBe(T0 + 1000 + 15_000);
    expect(dialogStep(ctx, state, { type: 'tick', ...time(deadline - 1) })).toMatchObject({ state, replies: [] });
    const timedOut = dialogStep(ctx, state, { type: 'tick', ...time(deadline) });
    expect(timedOut.replies.map((r) => ('reason' in r ? r.reason : r.kind))).toEqual(['TIMEOUT', 'idle']);
    expect(timedOut.state).toEqual(IDLE);
    expect(deadlineOf(timedOut.state)).toBeUndefined();
  });

  it('times out a code that arrives after the deadline, even before the tick', () => {
    const { state } = play([badge('0001234'), code('1')]);
    const late = dialogStep(ctx, state, { type: 'code', value: '100', ...time((deadlineOf(state) as number) + 60_000) });
    expect(late.replies.map((r) => ('reason' in r ? r.reason : r.kind))).toEqual(['TIMEOUT', 'idle']);
    expect(late.state).toEqual(IDLE);
  });

  it('extends the deadline with every input', () => {
    const { state } = play([badge('0001234'), code('1'), code('100')]);
    expect(deadlineOf(state)).toBe(T0 + 2000 + 15_000);
  });

  it('times out on the monotonic clock when the wall clock is set back during the dialog', () => {
    const { state } = play([badge('0001234'), code('1')]);
    const deadline = deadlineOf(state) as number;
    // NTP sets the wall clock back an hour: the worker has gone, the dialog must end on time.
    const timedOut = dialogStep(ctx, state, { type: 'tick', at: deadline - 3_600_000, mono: deadline });
    expect(timedOut.replies.map((r) => ('reason' in r ? r.reason : r.kind))).toEqual(['TIMEOUT', 'idle']);
  });

  it('is not cut short when the wall clock is set ahead during the dialog, and dates the clocking by the wall clock', () => {
    const { state } = play([badge('0001234'), code('1'), code('100')]);
    // Five seconds of typing, while NTP moved the wall clock 10 minutes ahead.
    const o = dialogStep(ctx, state, { type: 'code', value: '00026', at: T0 + 2000 + 600_000, mono: T0 + 7000 });
    expect(o.replies[0]).toMatchObject({ kind: 'accept' });
    expect(o.effects[0]?.selection.minuteOfDay).toBe(8 * 60 + 17);
  });

  it('starts a new dialog when a badge is read in the middle of one', () => {
    const { outputs, state } = play([badge('0001234'), code('1'), badge('0000013')]);
    expect(outputs[2]?.replies[0]).toMatchObject({ kind: 'prompt', level: 1 });
    expect(state).toMatchObject({ phase: 'collecting', personId: 13, step: 0, choices: [] });
  });

  it('ends the dialog when a new badge in the middle is unknown, and says so with the idle screen', () => {
    const { outputs, state } = play([badge('0001234'), code('1'), badge('stranger')]);
    expect(state).toEqual(IDLE);
    // Without the idle screen the display fell back to the ended dialog's prompt, while the next code was refused for want of a badge.
    expect(outputs[2]?.replies.map((r) => ('reason' in r ? r.reason : r.kind))).toEqual(['UNKNOWN_BADGE', 'idle']);
    // From idle an unknown badge changes nothing on the display but the reject.
    expect(play([badge('stranger')]).outputs[0]?.replies.map((r) => r.kind)).toEqual(['reject']);
  });

  it('keeps the dialog going across an index swap, resolving earlier choices in the new index', () => {
    const { state } = play([badge('0001234'), code('1'), code('100')]);
    const swapped = { ...ctx, index: CodeIndex.build(seedModel()) };
    expect(dialogStep(swapped, state, { type: 'code', value: '00026', ...time(T0 + 5000) }).replies[0]).toMatchObject({ kind: 'accept' });
  });

  it('ends the dialog when a sync removed an earlier choice', () => {
    const { state } = play([badge('0001234'), code('1'), code('100')]);
    const model = seedModel();
    const without = { ...model, definitions: model.definitions.filter((d) => d.id !== IDS.order100) };
    const o = dialogStep({ ...ctx, index: CodeIndex.build(without) }, state, { type: 'code', value: '00026', ...time(T0 + 5000) });
    expect(o.replies.map((r) => r.kind)).toEqual(['reject', 'idle']);
    expect(o.state).toEqual(IDLE);
  });

  it('keeps a dialog begun before midnight on its badge date, where its choices were checked', () => {
    // Department A ends on 4 March: typed at 23:59:55 it was valid, the dialog finishes at 00:00:05.
    const index = CodeIndex.build(
      snapshot({
        definitions: [def({ id: 'A', level: 1, code: '1', until: '2025-03-04' }), def({ id: 'B', level: 2, code: '2', parent: 'A' })],
        usages: [usage('A', 'Person', 7, '2025-01-01'), usage('B', 'Person', 7, '2025-01-01')],
        people: [person({ id: 7, badge: 'b7' })],
      }),
    );
    const night = { ...ctx, index, spec: { ...ctx.spec, levels: [1, 2] } };
    const t = Date.parse('2025-03-04T22:59:50Z'); // 23:59:50 in Brussels
    let o = dialogStep(night, IDLE, { type: 'badge', value: 'b7', ...time(t) });
    o = dialogStep(night, o.state, { type: 'code', value: '1', ...time(t + 5000) });
    o = dialogStep(night, o.state, { type: 'code', value: '2', ...time(t + 15_000) });
    expect(o.replies[0]).toMatchObject({ kind: 'accept' });
    const selection = o.effects[0]?.selection;
    expect(formatDay(selection?.date ?? 0)).toBe('2025-03-04');
    // 00:00 the next day, as the API's overnight minutes (up to 2880) say it.
    expect(selection?.minuteOfDay).toBe(1440);
  });

  it('refuses a definition that ended yesterday to a badge read a second after midnight', () => {
    const index = CodeIndex.build(
      snapshot({
        definitions: [def({ id: 'A', level: 1, code: '1', until: '2026-12-31' })],
        usages: [usage('A', 'Person', 7, '2026-01-01')],
        people: [person({ id: 7, badge: 'b7' })],
      }),
    );
    const yearEnd = { ...ctx, index, spec: { ...ctx.spec, levels: [1] } };
    const midnight = Date.parse('2026-12-31T23:00:00Z'); // 00:00 on 1 January 2027 in Brussels
    const before = dialogStep(yearEnd, IDLE, { type: 'badge', value: 'b7', ...time(midnight - 1000) });
    const accepted = dialogStep(yearEnd, before.state, { type: 'code', value: '1', ...time(midnight + 4000) });
    expect(accepted.effects[0]?.selection).toMatchObject({ date: day('2026-12-31'), minuteOfDay: 1440 });
    const after = dialogStep(yearEnd, IDLE, { type: 'badge', value: 'b7', ...time(midnight + 1000) });
    expect(dialogStep(yearEnd, after.state, { type: 'code', value: '1', ...time(midnight + 4000) }).replies[0]).toMatchObject({ reason: 'EXPIRED' });
  });

  it('does not time out a dialog across the spring-forward hour, and clocks it at 03:00', () => {
    const index = CodeIndex.build(
      snapshot({ definitions: [def({ id: 'A', level: 1, code: '1' })], usages: [usage('A', 'Person', 7, '2026-01-01')], people: [person({ id: 7, badge: 'b7' })] }),
    );
    const spring = { ...ctx, index, spec: { ...ctx.spec, levels: [1] } };
    const t = Date.parse('2026-03-29T00:59:55Z'); // 01:59:55 CET; ten seconds later it is 03:00:05 CEST
    const started = dialogStep(spring, IDLE, { type: 'badge', value: 'b7', ...time(t) });
    const o = dialogStep(spring, started.state, { type: 'code', value: '1', ...time(t + 10_000) });
    expect(o.replies[0]).toMatchObject({ kind: 'accept' });
    expect(o.effects[0]?.selection).toMatchObject({ date: day('2026-03-29'), minuteOfDay: 180 });
  });

  it('ends the dialog at once when the cache is empty', () => {
    const empty = { ...ctx, index: CodeIndex.build({ ...seedModel(), syncedAt: undefined }) };
    expect(dialogStep(empty, IDLE, { type: 'badge', value: '0001234', ...time(T0) }).replies[0]).toMatchObject({ reason: 'CACHE_EMPTY' });
  });
});
