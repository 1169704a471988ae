import type { Logger } from 'pino';
import { z } from 'zod';
import type { OutboxRow, OutboxStore } from '../cache/OutboxStore.js';
import { isPtgwError, PtgwError } from '../core/errors.js';
import { backoffDelay } from './backoff.js';
import type { ProtimeClient } from './ProtimeClient.js';
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
}

/**
 * Delivers the outbox to Protime as activity clockings, one row at a time in acceptance order
 * (a later activity ends the earlier one, so order matters). The API has no idempotency key: a
 * row whose outcome is in doubt (timeout, reset, 5xx after sending) stays `sending`, and before it
 * is sent again the sender looks the clocking up upstream — so nothing is lost and nothing doubled.
 */
export class ClockingSender {
  readonly #o: Required<SenderOptions>;
  readonly #log: Logger;
  #failures = 0;
  #stopped = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: SenderOptions) {
    this.#o = { now: Date.now, backoff: { baseMs: 1000, maxMs: 60_000 }, idlePollMs: 5000, ...options };
    this.#log = options.logger.child({ module: 'sender' });
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** A new row was committed: look at once instead of at the next poll. */
  notify(): void {
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
  }

  /** Works on the oldest row once: returns what it did. Used by the loop and by tests. */
  async step(): Promise<'idle' | 'delivered' | 'failed' | 'waiting' | 'postponed'> {
    const row = this.#o.outbox.next();
    if (row === undefined) return 'idle';
    if (row.nextAttemptAt > this.#o.now()) return 'waiting';
    try {
      if (row.state === 'sending' && (await this.#alreadyUpstream(row))) {
        await this.#o.outbox.markDelivered(row.id, this.#o.now(), null);
        this.#log.info({ outboxId: row.id }, 'clocking found upstream after an uncertain send; not sent again');
        this.#failures = 0;
        return 'delivered';
      }
    } catch (err) {
      return await this.#postpone(row, 'sending', err);
    }
    await this.#o.outbox.markSending(row.id);
    const { path, body } = clockingBody(row);
    try {
      const res = await this.#o.client.request(path, { scope: SCOPES.clockingsWrite, method: 'POST', body, retry: false });
      const location = res.headers.location;
      await this.#o.outbox.markDelivered(row.id, this.#o.now(), typeof location === 'string' ? location : null);
      this.#failures = 0;
      this.#log.info({ outboxId: row.id, person: row.personId }, 'clocking delivered');
      return 'delivered';
    } catch (err) {
      if (isPtgwError(err, 'SYNC_HTTP_STATUS') && err.status !== undefined && err.status >= 400 && err.status < 500) {
        // Protime refused this row on its merits: retrying it blindly would fail forever.
        await this.#o.outbox.markFailed(row.id, err.message);
        this.#log.error({ outboxId: row.id, status: err.status }, `clocking refused: ${err.message}`);
        return 'failed';
      }
      return await this.#postpone(row, neverReachedUpstream(err) ? 'pending' : 'sending', err);
    }
  }

  async #postpone(row: OutboxRow, state: 'pending' | 'sending', err: unknown): Promise<'postponed'> {
    this.#failures++;
    const e = err instanceof PtgwError ? err : new PtgwError('SYNC_NETWORK', String(err));
    const wait = e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : backoffDelay(this.#failures, this.#o.backoff);
    await this.#o.outbox.postpone(row.id, state, this.#o.now() + wait, e.message);
    this.#log.warn({ outboxId: row.id, waitMs: wait, inDoubt: state === 'sending' }, `clocking not delivered yet: ${e.message}`);
    return 'postponed';
  }

  async #alreadyUpstream(row: OutboxRow): Promise<boolean> {
    const filter = `person in (${row.personId}) and date ge '${row.date}' and date le '${row.date}'`;
    let link = `/clockings?filter=${encodeURIComponent(filter)}`;
    for (;;) {
      const page = await this.#o.client.getJson(link, clockingListSchema, { scope: SCOPES.clockingsWrite });
      for (const c of page.value) {
        if (
          c.timeOfDayInMinutes === row.timeOfDayInMinutes &&
          c.date?.slice(0, 10) === row.date &&
          (c.kind === undefined || c.kind === 'Activity') &&
          c.activityLevels !== undefined &&
          c.activityLevels.length === row.levels.length &&
          row.levels.every((l) => c.activityLevels?.some((a) => a.level === l.level && a.activityDefinition.id === l.definitionId))
        ) {
          return true;
        }
      }
      if (!page.nextLink) return false;
      link = page.nextLink;
    }
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      let outcome: Awaited<ReturnType<ClockingSender['step']>>;
      try {
        outcome = await this.step();
      } catch (err) {
        this.#log.error({ err: String(err) }, 'outbox sender step failed');
        outcome = 'postponed';
      }
      if (outcome === 'delivered' || outcome === 'failed') continue;
      const next = this.#o.outbox.next();
      const wait = next === undefined ? this.#o.idlePollMs : Math.min(this.#o.idlePollMs, Math.max(10, next.nextAttemptAt - this.#o.now()));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }
}

/** True when the request certainly did not create a clocking: safe to send again without a look-up. */
function neverReachedUpstream(err: unknown): boolean {
  if (isPtgwError(err, 'SYNC_RATE_LIMITED') || isPtgwError(err, 'SYNC_AUTH_FAILED')) return true;
  if (!isPtgwError(err, 'SYNC_NETWORK') && !isPtgwError(err, 'SYNC_TIMEOUT')) return false;
  const cause = err.cause as { code?: string; cause?: { code?: string } } | undefined;
  return NOT_SENT.has(cause?.code ?? '') || NOT_SENT.has(cause?.cause?.code ?? '');
}
