import type { Logger } from 'pino';
import type { SiteCalendar } from '../core/clock.js';
import type { CodeIndex } from '../core/codeIndex.js';
import { deadlineOf, dialogStep, IDLE, type DialogEvent, type DialogSpec, type DialogState, type Reply, type Selection } from '../core/dialog.js';
import { REASON_TEXT, type Reason } from '../core/reasons.js';
import type { ValidatorOptions } from '../core/validator.js';
import type { InputEvent } from '../devices/FrameClassifier.js';

/** Where replies go: the displays of the devices bound to the terminal. */
export interface ReplySink {
  send(reply: Reply): Promise<void>;
}

export interface TerminalStatus {
  id: string;
  state: DialogState['phase'];
  accepted: number;
  rejected: number;
  rejectReasons: Partial<Record<Reason, number>>;
  lastDecision: { at: number; reason: Reason; badge: string; code: string; name: string } | undefined;
}

export interface TerminalSessionOptions {
  spec: DialogSpec;
  index: () => CodeIndex;
  calendar: SiteCalendar;
  validator: ValidatorOptions;
  /**
   * Stores an accepted selection durably. The accept reply is written only after it resolves;
   * if it rejects, the worker is told the selection was not recorded.
   */
  record: (selection: Selection) => Promise<void>;
  displays: readonly ReplySink[];
  logger: Logger;
  /** The wall clock: the site's date and time of day of each event. */
  now?: () => number;
  /** A monotonic clock (ms) for the inactivity timeout, which a wall clock set back or ahead must not move. */
  mono?: () => number;
  /** Called for every accept and reject, with the time the decision took (for metrics). */
  onDecision?: (reason: Reason, seconds: number) => void;
}

/** Masks a badge for status pages and logs: enough to recognise, not enough to clone. */
export function maskBadge(badge: string): string {
  return badge.length <= 4 ? '*'.repeat(badge.length) : `${'*'.repeat(badge.length - 4)}${badge.slice(-4)}`;
}

/**
 * One terminal's dialog, driven by the pure state machine: events from every bound device are
 * handled one at a time in arrival order, effects (the durable record) run before replies, and a
 * timer delivers the inactivity timeout.
 */
export class TerminalSession {
  readonly status: TerminalStatus;
  readonly #o: Required<TerminalSessionOptions>;
  readonly #log: Logger;
  #state: DialogState = IDLE;
  #queue: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: TerminalSessionOptions) {
    this.#o = { now: Date.now, mono: () => performance.now(), onDecision: () => undefined, ...options };
    this.#log = options.logger.child({ module: 'terminal', terminal: options.spec.terminalId });
    this.status = { id: options.spec.terminalId, state: 'idle', accepted: 0, rejected: 0, rejectReasons: {}, lastDecision: undefined };
  }

  get state(): DialogState {
    return this.#state;
  }

  /** Feeds one classified frame; resolves once its replies were written. */
  input(event: InputEvent): Promise<void> {
    const at = this.#o.now();
    const mono = this.#o.mono();
    switch (event.type) {
      case 'badge':
        return this.#enqueue({ type: 'badge', value: event.value, at, mono });
      case 'code':
        return this.#enqueue({ type: 'code', value: event.value, caseless: event.caseless, at, mono });
      case 'cancel':
        return this.#enqueue({ type: 'cancel', at, mono });
      default:
        return Promise.resolve();
    }
  }

  close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    return this.#queue;
  }

  #enqueue(event: DialogEvent): Promise<void> {
    const run = this.#queue.then(() => this.#handle(event));
    this.#queue = run.catch((err: unknown) => this.#log.error({ err }, 'terminal event failed'));
    return this.#queue;
  }

  async #handle(event: DialogEvent): Promise<void> {
    if (this.#closed) return;
    const badge = event.type === 'badge' ? event.value : this.#state.phase === 'collecting' ? this.#state.badge : '';
    const started = performance.now();
    const before = this.#state;
    const out = dialogStep({ spec: this.#o.spec, index: this.#o.index(), calendar: this.#o.calendar, validator: this.#o.validator }, this.#state, event);
    const seconds = (performance.now() - started) / 1000;
    this.#state = out.state;
    this.status.state = out.state.phase;
    this.#schedule();
    let replies = out.replies;
    for (const effect of out.effects) {
      try {
        await this.#o.record(effect.selection);
      } catch (err) {
        this.#log.error({ err: (err as Error).message }, 'an accepted selection could not be stored; the worker is told to retry');
        // Back to where the dialog was: "retry" means typing the last code again, not badging anew,
        // with a full timeout for it (the failed store may have taken most of the old one).
        this.#state = before.phase === 'collecting' ? { ...before, deadline: this.#o.mono() + this.#o.spec.timeoutMs } : before;
        this.status.state = before.phase;
        this.#schedule();
        replies = [{ kind: 'reject', reason: 'NOT_RECORDED', level: undefined, text: REASON_TEXT.NOT_RECORDED, explanation: 'The selection could not be stored.', name: '', code: '' }];
      }
    }
    for (const reply of replies) {
      this.#count(reply, event, badge, seconds);
      await Promise.all(this.#o.displays.map((d) => d.send(reply)));
    }
  }

  #count(reply: Reply, event: DialogEvent, badge: string, seconds: number): void {
    if (reply.kind !== 'accept' && reply.kind !== 'reject') return;
    const reason: Reason = reply.kind === 'accept' ? 'ACCEPTED' : reply.reason;
    this.#o.onDecision(reason, seconds);
    if (reply.kind === 'accept') this.status.accepted++;
    else {
      this.status.rejected++;
      this.status.rejectReasons[reason] = (this.status.rejectReasons[reason] ?? 0) + 1;
    }
    this.status.lastDecision = { at: event.at, reason, badge: maskBadge(badge), code: reply.code, name: reply.name };
    this.#log.info({ reason, code: reply.code, badge: maskBadge(badge) }, reply.kind === 'accept' ? 'accepted' : 'rejected');
  }

  #schedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const deadline = deadlineOf(this.#state);
    if (deadline === undefined || this.#closed) return;
    this.#timer = setTimeout(() => void this.#enqueue({ type: 'tick', at: this.#o.now(), mono: this.#o.mono() }), Math.max(0, deadline - this.#o.mono()));
    this.#timer.unref();
  }
}
