import type { Logger } from 'pino';
import { z } from 'zod';
import type { Delivery, OutboxRow, OutboxStore } from '../cache/OutboxStore.js';
import { isPtgwError, PtgwError } from '../core/errors.js';
import { RepeatedFailures } from '../core/repeatedFailures.js';
import { backoffDelay } from './backoff.js';
import { clientErrorsExcept, upstreamMessage, type ApiResponse, type ProtimeClient } from './ProtimeClient.js';
import { SCOPES } from '../core/scopes.js';

const clockingListSchema = z.object({
  value: z.array(
    z.object({
      person: z.object({ id: z.union([z.number(), z.string()]) }).optional(),
      date: z.string().optional(),
      timeOfDayInMinutes: z.number().optional(),
      kind: z.string().optional(),
      activityLevels: z.array(z.object({ level: z.number(), activityDefinition: z.object({ id: z.string() }) })).optional(),
    }),
  ),
  nextLink: z.string().nullish(),
});

/**
 * 4xx answers to the row's own request that settle it: handed back by the client (`accept`) rather
 * than raised, so they cannot be confused with an error of the token endpoint, which the client
 * raises alike and which says nothing about the row. Not among them: 401 (the token, renewed by
 * the client, then mended by a person for every row alike), 408 (Protime gave up waiting, nothing
 * said about the clocking) and 429 (wait). A 403 to the POST is a missing write scope: every row
 * alike, so it waits too; a 403 to the look-up is the read scope, which waiting will not grant.
 */
const POST_REFUSALS = clientErrorsExcept(401, 403, 408, 429);
const LOOKUP_REFUSALS = clientErrorsExcept(401, 408, 429);

/** Connection failures that prove the request never left: safe to send again without checking. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export function clockingBody(row: OutboxRow): { path: string; body: unknown } {
  const byCode = 'externalCode' in row.terminalRef;
  return {
    path: `/clockings${byCode ? '?externalReferences=(terminals,@external-code)' : ''}`,
    body: {
      person: { id: row.personId },
      date: row.date,
      timeOfDayInMinutes: row.timeOfDayInMinutes,
      terminal: { id: 'externalCode' in row.terminalRef ? row.terminalRef.externalCode : row.terminalRef.id },
      kind: 'Activity',
      activityLevels: row.levels.map((l) => ({ level: l.level, activityDefinition: { id: l.definitionId } })),
    },
  };
}

export interface SenderOptions {
  client: ProtimeClient;
  outbox: OutboxStore;
  logger: Logger;
  now?: () => number;
  backoff?: { baseMs: number; maxMs: number };
  /** How often an idle sender looks for work it was not woken for (rows retried by the CLI). */
  idlePollMs?: number;
  /** Rows claimed with one durable write. */
  batchSize?: number;
  /** How long a woken sender lets rows gather before it claims them: one disk flush for a burst of accepts instead of one each. */
  gatherMs?: number;
  /**
   * How long a POST left in doubt without an answer (timed out, connection reset) waits before its
   * look-up: Protime may still be storing it, and a look-up that misses it has it sent twice. The
   * client's response timeout is a fair measure (Protime took that long already); by default, the
   * client's default.
   */
  settleMs?: number;
}

/** What one round did: rows settled, and whether the oldest open row now waits for a later attempt. */
export interface Round {
  delivered: number;
  failed: number;
  /** This round tried a row that must wait: it and every row after it wait for `nextAttemptAt`. False when the oldest row was not due yet (see `nextAttemptAt`). */
  postponed: boolean;
  /** When the oldest open row may be tried; undefined when nothing is open. */
  nextAttemptAt: number | undefined;
  /** The batch was full and all of it settled: more rows may be waiting behind it. */
  more: boolean;
}

/** The shortest pause between rounds: a zero Retry-After or gathering pause must not become a tight loop against the API. */
const MIN_WAIT_MS = 10;

/** The longest Retry-After honoured: asking again every few minutes costs Protime one request, and a row waiting longer holds back the whole outbox. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

type Outcome = { kind: 'delivered'; delivery: Delivery } | { kind: 'failed' } | { kind: 'postponed' };

/** What the look-up of an in-doubt row found; `refused`: Protime would not answer it (or not readably), and asking again will not help. */
type Upstream = { kind: 'found' | 'missing' | 'ambiguous' } | { kind: 'refused'; why: string };

/**
 * Delivers the outbox to Protime as activity clockings, one POST at a time in acceptance order
 * (a later activity ends the earlier one, so order matters). The API has no idempotency key: a
 * row whose outcome is in doubt (timeout, reset, 5xx after sending) stays `sending`, and before it
 * is sent again the sender looks the clocking up upstream — so nothing is lost and nothing doubled.
 * It works in rounds: the oldest open rows are claimed (`sending`) with one durable write, then
 * sent one by one, and the deliveries are recorded with one write at the end. Each accept already
 * costs a disk flush; a round adds one per batch, not one per row, and the terminals' commits do
 * not queue behind the sender's.
 */
export class ClockingSender {
  readonly #o: Required<SenderOptions>;
  readonly #log: Logger;
  #failures = 0;
  /** Protime down for days: every attempt fails the same way; logged once, then once an hour. */
  readonly #repeats = new RepeatedFailures();
  /** A cache that takes no writes (disk full) fails every round, every few seconds, for as long as it lasts. */
  readonly #roundFailures = new RepeatedFailures();
  #stopped = false;
  #notified = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: SenderOptions) {
    this.#o = { now: Date.now, backoff: { baseMs: 1000, maxMs: 60_000 }, idlePollMs: 5000, batchSize: 50, gatherMs: 100, settleMs: 30_000, ...options };
    this.#log = options.logger.child({ module: 'sender' });
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** A new row was committed: deliver it after the gathering pause instead of at the next poll. */
  notify(): void {
    this.#notified = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
  }

  /** Works through the oldest open rows once (up to a batch). Used by the loop and by tests. */
  async round(): Promise<Round> {
    const rows = this.#o.outbox.head(this.#o.batchSize);
    const now = this.#o.now();
    const round: Round = { delivered: 0, failed: 0, postponed: false, nextAttemptAt: rows[0] === undefined ? undefined : this.#dueAt(rows[0], now), more: false };
    // A row waiting for its retry holds back every row after it.
    const due: OutboxRow[] = [];
    for (const row of rows) {
      if (this.#dueAt(row, now) > now) break;
      due.push(row);
    }
    if (due.length === 0) return round;
    const claimed = due.filter((r) => r.state === 'pending').map((r) => r.id);
    if ((await this.#o.outbox.claim(claimed)) !== claimed.length) {
      // Someone else changed these rows meanwhile (only the sender should): never POST a row not on disk as `sending`.
      // Those now `sending` are looked up next round, which is safe whoever claimed them.
      throw new PtgwError('CACHE_WRITE_FAILED', 'The outbox rows to send changed while they were claimed; claiming them again.');
    }
    const deliveries: Delivery[] = [];
    let done = 0;
    let broke: unknown;
    try {
      for (const row of due) {
        if (this.#stopped) break;
        done++;
        // `sending` before this round's claim: an earlier send's outcome is unknown.
        const outcome = await this.#settle(row, row.state === 'sending');
        if (outcome.kind === 'delivered') deliveries.push(outcome.delivery);
        else if (outcome.kind === 'failed') round.failed++;
        else {
          round.postponed = true;
          break;
        }
      }
    } catch (err) {
      broke = err;
    }
    // Both writes, whatever happened: a row left `sending` is only looked up again, but each one costs a look-up.
    const unsent = new Set(due.slice(done).map((r) => r.id));
    const writes = await Promise.allSettled([this.#o.outbox.markDelivered(deliveries), this.#o.outbox.release(claimed.filter((id) => unsent.has(id)))]);
    const failed = writes.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (broke !== undefined) throw broke;
    if (failed !== undefined) throw failed.reason;
    round.delivered = deliveries.length;
    round.more = !round.postponed && done === rows.length && rows.length === this.#o.batchSize;
    const next = this.#o.outbox.next();
    round.nextAttemptAt = next === undefined ? undefined : this.#dueAt(next, this.#o.now());
    return round;
  }

  /**
   * When `row` may be tried. A wait further off than any this sender writes (backoff, Retry-After,
   * settling) was written before the wall clock was set back (NTP): the row is due now rather than
   * blocking the outbox for the size of the jump.
   */
  #dueAt(row: OutboxRow, now: number): number {
    const longest = Math.max(this.#o.backoff.maxMs, MAX_RETRY_AFTER_MS, this.#o.settleMs);
    return row.nextAttemptAt - now > longest ? now : row.nextAttemptAt;
  }

  async #settle(row: OutboxRow, inDoubt: boolean): Promise<Outcome> {
    let upstream: Upstream = { kind: 'missing' };
    try {
      if (inDoubt) upstream = await this.#upstream(row);
    } catch (err) {
      // Not an answer to the look-up itself (network, 5xx, the token endpoint): it may work later.
      return await this.#postpone(row, 'sending', err, false);
    }
    if (upstream.kind === 'found') {
      this.#log.info({ outboxId: row.id }, 'clocking found upstream after an uncertain send; not sent again');
      this.#works();
      return { kind: 'delivered', delivery: { id: row.id, at: this.#o.now(), location: null, sent: false } };
    }
    if (upstream.kind !== 'missing') {
      // Sending could double it, counting it sent could lose it, and this row holds back every row
      // behind it. Left `failed`, it is listed (ptgw outbox list) for someone to check upstream and retry.
      const why =
        upstream.kind === 'refused'
          ? `in doubt (sent once, the answer lost), and Protime refused the check whether it has it: ${upstream.why}`
          : 'in doubt, and an identical selection is left failed: ambiguous which of them Protime has; check upstream, then retry them together';
      await this.#o.outbox.markFailed(row.id, why);
      this.#log.error({ outboxId: row.id }, `clocking left for a person to check: ${why}`);
      return { kind: 'failed' };
    }
    const { path, body } = clockingBody(row);
    let res: ApiResponse;
    try {
      res = await this.#o.client.request(path, { scope: SCOPES.clockingsWrite, method: 'POST', body, retry: false, accept: POST_REFUSALS });
    } catch (err) {
      return await this.#postpone(row, neverReachedUpstream(err) ? 'pending' : 'sending', err, true);
    }
    if (res.status >= 400) {
      // Protime refused this row on its merits: retrying it blindly would fail forever.
      const why = `Protime answered POST /clockings with ${res.status}${upstreamMessage(res.body)}.`;
      await this.#o.outbox.markFailed(row.id, why);
      this.#log.error({ outboxId: row.id, status: res.status }, `clocking refused: ${why}`);
      return { kind: 'failed' };
    }
    const location = res.headers.location;
    this.#works();
    this.#log.info({ outboxId: row.id, person: row.personId }, 'clocking delivered');
    return { kind: 'delivered', delivery: { id: row.id, at: this.#o.now(), location: typeof location === 'string' ? location : null, sent: true } };
  }

  async #postpone(row: OutboxRow, state: 'pending' | 'sending', err: unknown, attempted: boolean): Promise<Outcome> {
    this.#failures++;
    const e = err instanceof PtgwError ? err : new PtgwError('SYNC_NETWORK', String(err));
    const backoff = e.retryAfterSeconds !== undefined ? Math.min(e.retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS) : backoffDelay(this.#failures, this.#o.backoff);
    const unanswered = state === 'sending' && attempted && (e.code === 'SYNC_TIMEOUT' || e.code === 'SYNC_NETWORK');
    const wait = unanswered ? Math.max(backoff, this.#o.settleMs) : backoff;
    await this.#o.outbox.postpone(row.id, state, this.#o.now() + wait, e.message, attempted);
    const line = this.#repeats.logLine(`clocking not delivered yet: ${e.message}`, this.#o.now(), 'attempts', e.message);
    if (line !== undefined) this.#log.warn({ outboxId: row.id, waitMs: wait, inDoubt: state === 'sending', ...line.fields }, line.text);
    return { kind: 'postponed' };
  }

  #works(): void {
    this.#failures = 0;
    const failed = this.#repeats.end();
    if (failed > 0) this.#log.info({ failedAttempts: failed }, `Protime takes clockings again, after ${failed} failed attempt(s)`);
  }

  /**
   * Whether Protime already has this row's clocking. Two rows can make the same clocking (the same
   * code scanned twice in a minute), so the matches upstream are weighed against the other rows
   * that made it (see `OutboxStore.alike`).
   */
  async #upstream(row: OutboxRow): Promise<Upstream> {
    const filter = `person in (${row.personId}) and date ge '${row.date}' and date le '${row.date}'`;
    let link = `/clockings?filter=${encodeURIComponent(filter)}`;
    let matches = 0;
    for (;;) {
      const res = await this.#o.client.request(link, { scope: SCOPES.clockingsWrite, accept: LOOKUP_REFUSALS });
      if (res.status >= 400) return { kind: 'refused', why: `GET /clockings answered ${res.status}${upstreamMessage(res.body)}.` };
      let page: z.infer<typeof clockingListSchema>;
      try {
        page = this.#o.client.parse(res, clockingListSchema, link);
        // A link to another server is refused by the client; checked here, where it is known to be this answer's.
        if (page.nextLink) this.#o.client.url(page.nextLink);
      } catch (err) {
        return { kind: 'refused', why: (err as Error).message };
      }
      for (const c of page.value) {
        if (
          c.timeOfDayInMinutes === row.timeOfDayInMinutes &&
          c.date?.slice(0, 10) === row.date &&
          (c.kind === undefined || c.kind === 'Activity') &&
          c.activityLevels !== undefined &&
          c.activityLevels.length === row.levels.length &&
          row.levels.every((l) => c.activityLevels?.some((a) => a.level === l.level && a.activityDefinition.id === l.definitionId))
        ) {
          matches++;
        }
      }
      if (!page.nextLink) break;
      link = page.nextLink;
    }
    const { known, unknown } = this.#o.outbox.alike(row);
    if (matches <= known) return { kind: 'missing' };
    return { kind: matches > known + unknown ? 'found' : 'ambiguous' };
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      this.#notified = false;
      let round: Round | undefined;
      try {
        round = await this.round();
        const failed = this.#roundFailures.end();
        if (failed > 0) this.#log.info({ failedRounds: failed }, `outbox sender rounds work again, after ${failed} failed round(s)`);
      } catch (err) {
        const line = this.#roundFailures.logLine(`outbox sender round failed: ${String(err)}`, this.#o.now(), 'failed rounds');
        if (line !== undefined) this.#log.error(line.fields, line.text);
      }
      if (this.#stopped) break;
      if (round?.more === true) continue;
      const gather = Math.max(MIN_WAIT_MS, this.#o.gatherMs);
      let wait = this.#o.idlePollMs;
      // An open row: when it is due, but not before the gathering pause (rows accepted while this round ran).
      if (round?.nextAttemptAt !== undefined) wait = Math.min(wait, Math.max(gather, round.nextAttemptAt - this.#o.now()));
      if (this.#notified) wait = Math.min(wait, gather);
      await this.#sleep(wait, gather);
    }
  }

  /** Sleeps `ms`; the first notify brings the end forward to `gather` from then (later ones never push it back), a stop ends it at once. */
  #sleep(ms: number, gather: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let deadline = performance.now() + ms;
      let timer: NodeJS.Timeout;
      const end = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(end, Math.max(0, deadline - performance.now()));
      };
      arm();
      this.#wake = () => {
        if (this.#stopped) return end();
        const sooner = performance.now() + gather;
        if (sooner >= deadline) return;
        deadline = sooner;
        arm();
      };
    });
  }
}

/** True when the request certainly did not create a clocking: safe to send again without a look-up. */
function neverReachedUpstream(err: unknown): boolean {
  // Whatever went wrong getting a token, the POST it was for was never made; nor when the proxy refused it.
  if (err instanceof PtgwError && err.endpoint !== undefined) return true;
  if (isPtgwError(err, 'SYNC_RATE_LIMITED') || isPtgwError(err, 'SYNC_AUTH_FAILED')) return true;
  if (!isPtgwError(err, 'SYNC_NETWORK') && !isPtgwError(err, 'SYNC_TIMEOUT')) return false;
  const cause = err.cause as { code?: string; cause?: { code?: string } } | undefined;
  return NOT_SENT.has(cause?.code ?? '') || NOT_SENT.has(cause?.cause?.code ?? '');
}
