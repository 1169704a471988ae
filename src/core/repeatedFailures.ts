/**
 * Which failures of a run of them are worth a log line. A daemon left alone for a year retries a
 * vanished port or an unreachable server every few seconds; a line per attempt would fill the
 * journal with the same sentence. Each kind of failure (its message) is logged the first time, then
 * at most once per `everyMs` with the number left out; the run ends when the thing works again.
 */
export interface FailureVerdict {
  log: boolean;
  /** First time this failure was seen in the run. */
  first: boolean;
  /** Failures of this kind not logged since it was last logged (when `log`: before this one). */
  omitted: number;
}

/** How often a failure that goes on is logged again, unless told otherwise. */
const REPEAT_LOG_MS = 3_600_000;

/** Beyond this many different messages in one run, the rest share one allowance (messages with ever-changing details). */
const MAX_KINDS = 20;
const OTHER = '\u0000other';

export class RepeatedFailures {
  readonly #everyMs: number;
  readonly #kinds = new Map<string, { loggedAt: number; omitted: number }>();
  #count = 0;

  constructor(everyMs = REPEAT_LOG_MS) {
    this.#everyMs = everyMs;
  }

  /** Failures since the run began (0: none, things work). */
  get count(): number {
    return this.#count;
  }

  note(message: string, now: number): FailureVerdict {
    this.#count++;
    const key = this.#kinds.has(message) || this.#kinds.size < MAX_KINDS ? message : OTHER;
    const kind = this.#kinds.get(key);
    if (kind === undefined) {
      this.#kinds.set(key, { loggedAt: now, omitted: 0 });
      return { log: true, first: true, omitted: 0 };
    }
    // A clock set back (NTP, a wrong RTC corrected) must not silence the failure until it catches up.
    if (now - kind.loggedAt >= this.#everyMs || now < kind.loggedAt) {
      const omitted = kind.omitted;
      kind.loggedAt = now;
      kind.omitted = 0;
      return { log: true, first: false, omitted };
    }
    kind.omitted++;
    return { log: false, first: false, omitted: kind.omitted };
  }

  /**
   * The log line for this failure, or undefined when it is one of those left out: the first of its
   * kind says that repeats are logged once per interval, a later one how many (`unit`, e.g. "failed
   * syncs") were left out since, with `fields` holding that count as `repeats` for the log line's
   * fields. `key` tells kinds apart when the message holds more than the kind.
   */
  logLine(message: string, now: number, unit = 'times', key = message): { text: string; fields: { repeats?: number } } | undefined {
    const verdict = this.note(key, now);
    if (!verdict.log) return undefined;
    const every = this.#everyMs === REPEAT_LOG_MS ? 'once an hour' : `once every ${Math.round(this.#everyMs / 60_000)} min`;
    if (verdict.first) return { text: `${message} (should it repeat, it is logged ${every})`, fields: {} };
    const repeats = verdict.omitted + 1;
    return { text: `${message} (${repeats} ${unit} since last logged; logged ${every} while it repeats)`, fields: { repeats } };
  }

  /** The thing works again: the run is over; resolves to how many failures it had. */
  end(): number {
    const count = this.#count;
    this.#count = 0;
    this.#kinds.clear();
    return count;
  }
}
