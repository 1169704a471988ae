import type { Logger } from 'pino';
import type { CodeIndex } from '../core/codeIndex.js';
import { isPtgwError, PtgwError } from '../core/errors.js';
import { RepeatedFailures } from '../core/repeatedFailures.js';
import type { StructureVersion } from '../core/model.js';
import type { ModelStore, UsageReferences } from '../cache/ModelStore.js';
import type { ApplyResult, DefinitionRecord, SyncBatch } from '../cache/syncBatch.js';
import { DefinitionFetcher } from './fetchDefinitions.js';
import { fetchPeople } from './fetchPeople.js';
import type { ProtimeClient } from './ProtimeClient.js';

export interface SyncTarget {
  id: string;
  /** Number of levels when known from the config; otherwise found by listing until a level does not exist. */
  levels: number | undefined;
}

export interface SyncEngineOptions {
  client: ProtimeClient;
  store: ModelStore;
  targets: readonly SyncTarget[];
  logger: Logger;
  now?: () => number;
  /**
   * Everything is listed and rewritten in full at least this often: people and memberships have
   * no usable delta, and an edit of a definition's usages or restrictions may not raise the
   * definition's changeVersion, which an incremental listing relies on.
   */
  fullIntervalMs: number;
  useDelta?: boolean;
  /** Receives the index after each sync committed, brought up to date with what it changed. */
  onIndex: (index: CodeIndex) => void;
  /** Told how each run ended (for metrics): its duration, and the error code when it failed. */
  onRun?: (outcome: { full: boolean; durationMs: number; errorCode: string | undefined }) => void;
}

const LAST_FULL_SYNC = 'last-full-sync';

export interface SyncReport extends ApplyResult {
  full: boolean;
  peopleRefreshed: boolean;
  durationMs: number;
}

export interface SyncStatus {
  state: 'never' | 'syncing' | 'ok' | 'error';
  lastSuccessAt: number | undefined;
  lastAttemptAt: number | undefined;
  lastError: { code: string; message: string; at: number } | undefined;
  upstreamReachable: boolean | undefined;
  lastReport: SyncReport | undefined;
}

const MAX_PROBED_LEVELS = 20;

function cursorName(sv: string, level: number): string {
  return `definitions:${sv}:${level}`;
}

interface Staged {
  structureVersions: StructureVersion[];
  fullLevels: SyncBatch['fullLevels'][number][];
  records: DefinitionRecord[];
  deleted: string[];
  cursors: { collection: string; value: string | null }[];
}

/**
 * Keeps the cache and the index in step with Protime. Each run fetches everything first, then
 * writes it with its cursors in one SQLite transaction, then updates the index and hands it over:
 * a crash or an upstream error at any point leaves the previous consistent state serving terminals.
 * A structure version that Protime refuses is left out of that write (its cache and cursors as
 * they were) while the others are applied; the run still fails, naming it.
 */
export class SyncEngine {
  readonly status: SyncStatus = { state: 'never', lastSuccessAt: undefined, lastAttemptAt: undefined, lastError: undefined, upstreamReachable: undefined, lastReport: undefined };
  readonly #o: Required<SyncEngineOptions>;
  readonly #log: Logger;
  #running: Promise<SyncReport> | undefined;
  #runningFull = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #abort = new AbortController();
  /** An upstream down for days, a revoked secret: one line when it starts, then one an hour, not one a sync. */
  readonly #failures = new RepeatedFailures();
  readonly #structureFailures = new RepeatedFailures();

  constructor(options: SyncEngineOptions) {
    this.#o = { now: Date.now, useDelta: true, onRun: () => undefined, ...options };
    this.#log = options.logger.child({ module: 'sync' });
  }

  /**
   * One sync; concurrent callers share the run in progress, except that a full sync asked for
   * while an incremental one runs follows it (one full run for all who asked). Rejects with a
   * PtgwError on failure.
   */
  run(options: { full?: boolean } = {}): Promise<SyncReport> {
    const full = options.full === true || this.#fullDue();
    if (this.#running !== undefined) {
      if (!full || this.#runningFull) return this.#running;
      return this.#running.catch(() => undefined).then(() => this.run({ full: true }));
    }
    this.#runningFull = full;
    this.#running = this.#run(full).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** The sync in progress, if any (settles when it is applied or failed). */
  get inFlight(): Promise<SyncReport> | undefined {
    return this.#running;
  }

  /**
   * Periodic syncs, each intervalMs after the previous one ended, or later when Protime asked for
   * a longer wait (a Retry-After the client does not sleep through); failures are recorded in
   * `status`. A manual run (`ptgw sync`, POST /api/sync) is not held back: a person asked for it.
   */
  start(intervalMs: number): void {
    const tick = (): void => {
      let wait = intervalMs;
      this.run()
        .catch((err: unknown) => {
          if (isPtgwError(err, 'SYNC_RATE_LIMITED') && err.retryAfterSeconds !== undefined) wait = Math.max(intervalMs, err.retryAfterSeconds * 1000);
        })
        .finally(() => {
          if (!this.#abort.signal.aborted) this.#timer = setTimeout(tick, wait);
        });
    };
    this.#timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.#abort.abort(new PtgwError('SYNC_NETWORK', 'The gateway is shutting down.'));
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /**
   * Whether the last full sync is older than fullIntervalMs; kept in the cache so that restarts and
   * `ptgw sync` keep the pace. A last full sync stamped later than now was stamped before the wall
   * clock was set back (NTP correcting a clock that ran ahead): one is due, or people and usages
   * would not be listed in full again until the clock caught up.
   */
  #fullDue(): boolean {
    const since = this.#o.now() - Number(this.#o.store.cursor(LAST_FULL_SYNC) ?? Number.NaN);
    return !(since >= 0 && since < this.#o.fullIntervalMs);
  }

  async #run(full: boolean): Promise<SyncReport> {
    const started = this.#o.now();
    this.status.state = 'syncing';
    this.status.lastAttemptAt = started;
    try {
      const { report, failed } = await this.#sync(full, started);
      if (failed.length > 0) {
        // What synced is applied and served, but the run failed: the status and `ptgw sync`'s exit
        // code say so, naming the structure versions left as they were.
        this.status.lastReport = report;
        throw structureError(failed);
      }
      Object.assign(this.status, { state: 'ok', lastSuccessAt: this.#o.now(), lastError: undefined, upstreamReachable: true, lastReport: report });
      this.#o.onRun({ full, durationMs: report.durationMs, errorCode: undefined });
      this.#structureFailures.end();
      const failedRuns = this.#failures.end();
      this.#log.info(failedRuns === 0 ? report : { ...report, failedRuns }, failedRuns === 0 ? 'sync done' : `sync done, after ${failedRuns} failed run(s)`);
      return report;
    } catch (err) {
      const e = isPtgwError(err) ? err : new PtgwError('SYNC_NETWORK', `Sync failed: ${(err as Error).message}.`, { cause: err });
      if (this.#abort.signal.aborted) {
        // Stopped by the shutdown, not failed: no error in the journal on every clean stop, and
        // the upstream is not "unreachable". The cache keeps what it had, as after any failure.
        this.#log.info({ code: e.code }, 'sync stopped: the gateway is shutting down');
        throw e;
      }
      this.status.state = 'error';
      this.status.lastError = { code: e.code, message: e.message, at: this.#o.now() };
      // A failure of the cache says nothing about the upstream: its reachability stays as last seen.
      if (e.code === 'SYNC_NETWORK' || e.code === 'SYNC_TIMEOUT') this.status.upstreamReachable = false;
      else if (e.code.startsWith('SYNC_')) this.status.upstreamReachable = true;
      this.#o.onRun({ full, durationMs: this.#o.now() - started, errorCode: e.code });
      const line = this.#failures.logLine(e.message, this.#o.now(), 'failed syncs', `${e.code} ${e.message}`);
      if (line !== undefined) this.#log.error({ code: e.code, status: e.status, ...line.fields }, line.text);
      throw e;
    }
  }

  async #sync(full: boolean, started: number): Promise<{ report: SyncReport; failed: StructureFailure[] }> {
    const store = this.#o.store;
    const staged: Staged = { structureVersions: [], fullLevels: [], records: [], deleted: [], cursors: [] };
    const failed: StructureFailure[] = [];
    const fetcher = new DefinitionFetcher(this.#o.client, this.#log, { useDelta: this.#o.useDelta, signal: this.#abort.signal });
    for (const target of this.#o.targets) {
      // Each structure version is staged on its own: one that Protime refuses (retired, say) keeps
      // its cached state and its cursors, and does not hold back the others.
      const own: Staged = { structureVersions: [], fullLevels: [], records: [], deleted: [], cursors: [] };
      try {
        await this.#stageStructure(fetcher, target, full, own);
      } catch (err) {
        if (!isStructureFailure(err)) throw err;
        // Named by the run's error too; a retired structure version fails every sync, its details are logged once an hour.
        if (this.#structureFailures.note(`${target.id} ${err.message}`, this.#o.now()).log) this.#log.warn({ structureVersion: target.id, code: err.code, status: err.status }, err.message);
        failed.push({ id: target.id, error: err });
        continue;
      }
      staged.structureVersions.push(...own.structureVersions);
      staged.fullLevels.push(...own.fullLevels);
      staged.records.push(...own.records);
      staged.deleted.push(...own.deleted);
      staged.cursors.push(...own.cursors);
    }
    if (failed.length === this.#o.targets.length && failed[0] !== undefined) throw structureError(failed);

    // People: on a full sync, when due, or when a change names a group, circle or person not yet known.
    // A full sync replaces everyone, so it also asks for those that the kept definitions of a
    // failed structure version still name.
    const known = store.usageReferences();
    const base = full ? (failed.length === 0 ? emptyReferences() : store.usageReferences(failed.map((f) => f.id))) : known;
    const wanted = mergeReferences(base, staged.records);
    const due = full || hasNew(wanted, known);
    const people = due ? await fetchPeople(this.#o.client, wanted, this.#abort.signal) : [];

    const batch: SyncBatch = {
      syncedAt: this.#o.now(),
      structureVersions: staged.structureVersions,
      fullLevels: staged.fullLevels,
      definitions: staged.records,
      deletedDefinitions: staged.deleted,
      fullPeople: due,
      people,
      deletedPeople: [],
      cursors: full ? [...staged.cursors, { collection: LAST_FULL_SYNC, value: String(started) }] : staged.cursors,
    };
    let result: ApplyResult;
    try {
      result = store.apply(batch);
    } catch (cause) {
      throw new PtgwError('CACHE_WRITE_FAILED', `The sync could not be stored in the cache (it keeps what it had): ${(cause as Error).message}.`, { cause });
    }
    this.#o.onIndex(store.index());
    return { report: { ...result, full, peopleRefreshed: due, durationMs: this.#o.now() - started }, failed };
  }

  async #stageStructure(fetcher: DefinitionFetcher, target: SyncTarget, full: boolean, staged: Staged): Promise<void> {
    const store = this.#o.store;
    const limit = target.levels ?? MAX_PROBED_LEVELS;
    let levels = 0;
    for (let level = 1; level <= limit; level++) {
      const name = cursorName(target.id, level);
      const cursor = full ? undefined : store.cursor(name);
      if (typeof cursor === 'string') {
        try {
          const changes = await fetcher.changes(cursor, target.id, level);
          staged.records.push(...changes.records);
          staged.deleted.push(...changes.deleted);
          staged.cursors.push({ collection: name, value: changes.deltaLink });
          levels = level;
          continue;
        } catch (err) {
          if (!isPtgwError(err, 'SYNC_DELTA_EXPIRED')) throw err;
          this.#log.warn({ structureVersion: target.id, level }, 'delta link expired; listing the level in full');
        }
      }
      let listing;
      try {
        // cursor === null means this level was seen to offer no delta: do not ask again.
        listing = await fetcher.list(target.id, level, cursor !== null);
      } catch (err) {
        // Without a configured level count, the first level that does not exist ends the structure.
        if (target.levels === undefined && level > 1 && isPtgwError(err, 'SYNC_HTTP_STATUS') && (err.status === 400 || err.status === 404)) break;
        throw err;
      }
      const stored = full ? new Map<string, string | null>() : store.changeVersions(target.id, level);
      const listedIds = new Set<string>();
      for (const r of listing.records) {
        listedIds.add(r.definition.id);
        // An incremental listing rewrites only what changed; a full sync rewrites everything (a repair).
        const before = stored.get(r.definition.id);
        if (full || before === undefined || before === null || r.definition.changeVersion === undefined || before !== r.definition.changeVersion) staged.records.push(r);
      }
      staged.fullLevels.push({ structureVersion: target.id, level, listedIds });
      staged.cursors.push({ collection: name, value: listing.deltaLink });
      levels = level;
    }
    staged.structureVersions.push({ id: target.id, levels });
  }
}

interface StructureFailure {
  id: string;
  error: PtgwError;
}

/**
 * Whether a failure is that structure version's own (Protime refusing or garbling its listing, as
 * for a retired one) rather than the upstream's as a whole (network, time-out, rate limit, token,
 * 5xx), after which the other structure versions would only fail the same way.
 */
function isStructureFailure(err: unknown): err is PtgwError {
  if (isPtgwError(err, 'SYNC_MALFORMED_RESPONSE')) return err.endpoint === undefined;
  return isPtgwError(err, 'SYNC_HTTP_STATUS') && err.endpoint === undefined && err.status !== undefined && err.status < 500;
}

/** The error a run reports for the structure versions that failed: the first one's code and status, every one named. */
function structureError(failed: readonly StructureFailure[]): PtgwError {
  const first = failed[0] as StructureFailure;
  const named = failed.map((f) => `structure version ${f.id} (${f.error.message.replace(/\.$/, '')})`).join('; ');
  return new PtgwError(first.error.code, `Not synced, its cache left as it was: ${named}.`, { cause: first.error, ...(first.error.status === undefined ? {} : { status: first.error.status }) });
}

function emptyReferences(): UsageReferences {
  return { Person: new Set(), Group: new Set(), Circle: new Set() };
}

function mergeReferences(base: UsageReferences, records: readonly DefinitionRecord[]): UsageReferences {
  const out: UsageReferences = { Person: new Set(base.Person), Group: new Set(base.Group), Circle: new Set(base.Circle) };
  for (const r of records) for (const u of r.usages) out[u.kind].add(u.reference);
  return out;
}

function hasNew(wanted: UsageReferences, known: UsageReferences): boolean {
  for (const kind of ['Person', 'Group', 'Circle'] as const) for (const ref of wanted[kind]) if (!known[kind].has(ref)) return true;
  return false;
}
