import type { Database, Statement } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Choice, Selection } from '../core/dialog.js';
import { formatDay } from '../core/day.js';
import { inThreadWrites, type WriteParams, type Writes } from './DurableWriter.js';

export type OutboxState = 'pending' | 'sending' | 'delivered' | 'failed';

/** How the clocking names the terminal upstream: its id, or its external code. */
export type TerminalRef = { id: number } | { externalCode: string };

export interface OutboxRow {
  seq: number;
  id: string;
  terminalId: string;
  terminalRef: TerminalRef;
  personId: number;
  badge: string;
  structureVersion: string;
  date: string;
  timeOfDayInMinutes: number;
  levels: Choice[];
  createdAt: number;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number;
  deliveredAt: number | null;
  location: string | null;
}

/** A row Protime has, as the sender settles it. */
export interface Delivery {
  id: string;
  at: number;
  location: string | null;
  /** POSTed in this round (an attempt counted), rather than found upstream by the look-up. */
  sent: boolean;
}

export interface OutboxStats {
  pending: number;
  oldestPendingAt: number | undefined;
  delivered: number;
  failed: number;
}

type Raw = Record<string, unknown>;

function toRow(r: Raw): OutboxRow {
  return {
    seq: r.seq as number,
    id: r.id as string,
    terminalId: r.terminal_id as string,
    terminalRef: JSON.parse(r.terminal_ref as string) as TerminalRef,
    personId: r.person_id as number,
    badge: r.badge as string,
    structureVersion: r.structure_version as string,
    date: r.date as string,
    timeOfDayInMinutes: r.time_of_day_minutes as number,
    levels: JSON.parse(r.levels as string) as Choice[],
    createdAt: r.created_at as number,
    state: r.state as OutboxState,
    attempts: r.attempts as number,
    lastError: r.last_error as string | null,
    nextAttemptAt: r.next_attempt_at as number,
    deliveredAt: r.delivered_at as number | null,
    location: r.location as string | null,
  };
}

/**
 * Accepted selections waiting for Protime. `add` resolves once the row is committed
 * (synchronous=FULL), so the accept reply that follows it can never announce something a crash
 * could lose. Rows leave in the order they were accepted; rows about to be sent are claimed
 * (`sending`) first, so after a crash the sender knows which outcome is in doubt and checks upstream before
 * sending it again. Reads use the store's connection; writes go where `writes` commits them (in
 * the daemon: a worker thread, off the event loop).
 */
export class OutboxStore {
  readonly #db: Database;
  readonly #writes: Writes;
  readonly #head: Statement;
  readonly #get: Statement;
  readonly #counts: Statement;
  readonly #oldestPending: Statement;
  readonly #alike: Statement;

  constructor(db: Database, writes: Writes = inThreadWrites(db)) {
    this.#db = db;
    this.#writes = writes;
    this.#head = db.prepare("SELECT * FROM outbox WHERE state IN ('pending', 'sending') ORDER BY seq LIMIT ?");
    this.#get = db.prepare('SELECT * FROM outbox WHERE id = ?');
    this.#counts = db.prepare('SELECT state, n FROM outbox_counts');
    this.#alike = db.prepare('SELECT seq, state, levels FROM outbox WHERE person_id = @personId AND date = @date AND time_of_day_minutes = @minute AND seq <> @seq');
    this.#oldestPending = db.prepare(OLDEST_OPEN);
  }

  async add(selection: Selection, terminalRef: TerminalRef): Promise<OutboxRow> {
    const id = randomUUID();
    try {
      await this.#insert(id, selection, terminalRef);
    } catch (err) {
      // The writer can fail after its commit (its thread died before answering): if the row is
      // there, the selection is recorded, and "not saved, retry" would have it clocked twice.
      const stored = this.get(id);
      if (stored !== undefined) return stored;
      throw err;
    }
    return this.get(id) as OutboxRow;
  }

  async #insert(id: string, selection: Selection, terminalRef: TerminalRef): Promise<void> {
    await this.#write(INSERT, {
      id,
      terminalId: selection.terminalId,
      terminalRef: JSON.stringify(terminalRef),
      personId: selection.personId,
      badge: selection.badge,
      structureVersion: selection.structureVersion,
      date: formatDay(selection.date),
      timeOfDayInMinutes: selection.minuteOfDay,
      levels: JSON.stringify(selection.levels),
      createdAt: selection.at,
    }, true);
  }

  get(id: string): OutboxRow | undefined {
    const r = this.#get.get(id) as Raw | undefined;
    return r === undefined ? undefined : toRow(r);
  }

  /** The oldest row not yet delivered nor failed: the first the sender works on. */
  next(): OutboxRow | undefined {
    return this.head(1)[0];
  }

  /**
   * The other rows that made the same clocking as `row` (person, date, minute, definitions): a
   * worker who scans the same code twice in a minute makes two equal clockings. `known`: those
   * Protime has or is given before `row`: delivered (later ones too: a retried row is settled after
   * the rows accepted behind it), or accepted earlier and not failed (settled in the same round).
   * `unknown`: those left `failed`, which Protime may or may not have (an in-doubt
   * row whose look-up was refused is failed too). A look-up that finds the clocking upstream must
   * find more than `known + unknown` before `row` counts as sent, and no more than `known` before
   * it may be sent again; in between, nobody can tell which of them Protime has.
   */
  alike(row: OutboxRow): { known: number; unknown: number } {
    const key = levelsKey(row.levels);
    const same = (this.#alike.all({ personId: row.personId, date: row.date, minute: row.timeOfDayInMinutes, seq: row.seq }) as { seq: number; state: OutboxState; levels: string }[]).filter(
      (r) => levelsKey(JSON.parse(r.levels) as Choice[]) === key,
    );
    return {
      known: same.filter((r) => r.state === 'delivered' || (r.seq < row.seq && r.state !== 'failed')).length,
      unknown: same.filter((r) => r.state === 'failed').length,
    };
  }

  /** The oldest rows not yet delivered nor failed, in acceptance order: the sender works through them in this order only. */
  head(limit: number): OutboxRow[] {
    return (this.#head.all(limit) as Raw[]).map(toRow);
  }

  /**
   * The one change of the sender that must be on disk before it acts (the POSTs): after a power
   * cut, every row that may have reached Protime is `sending` and is looked up, never sent
   * blindly. One durable write claims a whole batch, so the disk flushes once per batch, not once
   * per row. The changes after the answers need not wait for the disk: if one is lost, the row is
   * back to `sending`, and the look-up finds out what Protime has.
   */
  claim(ids: readonly string[]): Promise<number> {
    return ids.length === 0 ? Promise.resolve(0) : this.#write(CLAIM, { ids: JSON.stringify(ids) }, true);
  }

  /** Claimed rows the sender did not send (it stopped at a row that must wait, or was stopped): back to pending. */
  async release(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.#write(RELEASE, { ids: JSON.stringify(ids) }, false);
  }

  /** Rows Protime has: POSTed now (`sent`, an attempt counted), or found there by the look-up. */
  async markDelivered(rows: readonly Delivery[]): Promise<void> {
    if (rows.length > 0) await this.#write(DELIVERED, { rows: JSON.stringify(rows.map((r) => ({ ...r, sent: r.sent ? 1 : 0 }))) }, false);
  }

  /** Refused by Protime on its merits (a 4xx answer to the POST). */
  markFailed(id: string, error: string): Promise<void> {
    return this.#update(id, { state: 'failed', attempt: 1, lastError: error });
  }

  /** Back to pending after a retryable failure; `sending` stays when the outcome is in doubt. `attempted`: a POST was tried (an attempt counted). */
  postpone(id: string, state: 'pending' | 'sending', nextAttemptAt: number, error: string, attempted: boolean): Promise<void> {
    return this.#update(id, { state, attempt: attempted ? 1 : 0, lastError: error, nextAttemptAt });
  }

  /** One statement per change: fields left out keep their value, so no read has to come first. */
  async #update(id: string, change: { state: OutboxState; attempt: number; lastError: string; nextAttemptAt?: number }): Promise<void> {
    await this.#write(UPDATE, { id, state: change.state, attempt: change.attempt, lastError: change.lastError, nextAttemptAt: change.nextAttemptAt ?? null }, false);
  }

  /** Every write of the store: `durable` ones resolve once on disk, the others once committed; to the number of rows changed. */
  async #write(sql: string, params: WriteParams, durable: boolean): Promise<number> {
    return (await this.#writes.run(sql, params, { durable })).changes;
  }

  list(state?: OutboxState, limit = 1000): OutboxRow[] {
    const rows = (
      state === undefined
        ? this.#db.prepare('SELECT * FROM outbox ORDER BY seq DESC LIMIT ?').all(limit)
        : this.#db.prepare('SELECT * FROM outbox WHERE state = ? ORDER BY seq DESC LIMIT ?').all(state, limit)
    ) as Raw[];
    return rows.map(toRow);
  }

  /**
   * Failed rows (one, or all) go back to the queue; resolves to how many. As `sending`: a failed row
   * may be one left in doubt (sent once, its look-up refused), so it is looked up before any POST.
   */
  retry(id?: string): Promise<number> {
    const sql = "UPDATE outbox SET state = 'sending', next_attempt_at = 0, last_error = NULL WHERE state = 'failed' AND (@id IS NULL OR id = @id)";
    return this.#write(sql, { id: id ?? null }, true);
  }

  /**
   * Removes delivered rows older than the retention; pending and failed rows are never pruned, nor
   * a delivered row of the same clocking key as one of them: the look-up of that row needs it to
   * account for a match upstream (see `alike`), else it takes the delivered row's clocking for its own.
   */
  async prune(deliveredBefore: number): Promise<number> {
    // In small writes: a week's backlog delivered at once is pruned at once a retention later, and one
    // DELETE of 300,000 rows held the writer (every accept, and any cache write on the event loop) for 4 s.
    let removed = 0;
    for (;;) {
      const n = await this.#write(PRUNE, { before: deliveredBefore, limit: PRUNE_BATCH }, false);
      removed += n;
      if (n < PRUNE_BATCH) return removed;
    }
  }

  /** Cheap at any size (counts kept by triggers, the oldest pending row by index): the status page and metrics call it often. */
  stats(): OutboxStats {
    const counts = new Map((this.#counts.all() as { state: OutboxState; n: number }[]).map((r) => [r.state, r.n]));
    const oldest = (this.#oldestPending.get() as { oldest: number | null }).oldest;
    return {
      pending: (counts.get('pending') ?? 0) + (counts.get('sending') ?? 0),
      oldestPendingAt: oldest ?? undefined,
      delivered: counts.get('delivered') ?? 0,
      failed: counts.get('failed') ?? 0,
    };
  }
}

const INSERT = `
  INSERT INTO outbox (id, terminal_id, terminal_ref, person_id, badge, structure_version, date, time_of_day_minutes, levels, created_at)
  VALUES (@id, @terminalId, @terminalRef, @personId, @badge, @structureVersion, @date, @timeOfDayInMinutes, @levels, @createdAt)`;

const UPDATE = `
  UPDATE outbox SET
    state = @state,
    attempts = attempts + @attempt,
    last_error = @lastError,
    next_attempt_at = coalesce(@nextAttemptAt, next_attempt_at)
  WHERE id = @id`;

/** Definitions per level: what makes two clockings the same, whatever their names or codes were at the time. */
function levelsKey(levels: readonly Choice[]): string {
  return levels.map((l) => `${l.level}:${l.definitionId}`).join(',');
}

/**
 * When the oldest open row was accepted: the first of each open state in queue order, two index
 * steps. min(created_at) over the open rows read every one of them: 55 ms for a week's backlog of
 * 150,000, on the event loop, for each status refresh and three times per metrics scrape.
 */
const OLDEST_OPEN = `
  SELECT min(created_at) AS oldest FROM (
    SELECT * FROM (SELECT created_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1)
    UNION ALL
    SELECT * FROM (SELECT created_at FROM outbox WHERE state = 'sending' ORDER BY seq LIMIT 1)
  )`;

/** Rows one prune write removes: 10-20 ms of the writer's time (random ids: each row dirties a page or two of the id index). */
const PRUNE_BATCH = 250;

const PRUNE = `
  DELETE FROM outbox WHERE seq IN (
    SELECT seq FROM outbox WHERE state = 'delivered' AND delivered_at < @before AND NOT EXISTS (
      SELECT 1 FROM outbox AS other
      WHERE other.person_id = outbox.person_id AND other.date = outbox.date AND other.time_of_day_minutes = outbox.time_of_day_minutes AND other.state <> 'delivered'
    )
    LIMIT @limit
  )`;

// `+state`: the rows are found by id. Left to itself, SQLite finds them by state, which after a long outage
// means reading every pending row of the backlog (70 ms for 150,000) in the writer that commits the accepts, once per batch.
const CLAIM = "UPDATE outbox SET state = 'sending' WHERE id IN (SELECT value FROM json_each(@ids)) AND +state = 'pending'";

const RELEASE = "UPDATE outbox SET state = 'pending' WHERE id IN (SELECT value FROM json_each(@ids)) AND +state = 'sending'";

const DELIVERED = `
  UPDATE outbox SET
    state = 'delivered',
    attempts = attempts + (d.value ->> 'sent'),
    delivered_at = d.value ->> 'at',
    location = d.value ->> 'location'
  FROM json_each(@rows) AS d
  WHERE outbox.id = d.value ->> 'id'`;
