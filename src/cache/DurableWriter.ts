import type { Database, Statement } from 'better-sqlite3';
import type { Logger } from 'pino';
import { PtgwError } from '../core/errors.js';
import type { AutoCheckpointing } from './Checkpointer.js';
import { SqliteWorker } from './sqliteWorker.js';

export type WriteParams = Record<string, string | number | null>;

/**
 * Commits single-statement writes. A durable write resolves once it is on disk (fsync); one with
 * `durable: false` once it is committed — it survives a crash of the process, and reaches the disk
 * with the next durable write or checkpoint (the WAL is written in order), so a power cut can lose
 * only such writes, never what came before a durable one.
 */
export interface Writes {
  run(sql: string, params: WriteParams, options?: { durable?: boolean }): Promise<{ changes: number }>;
}

/** Writes on the caller's own connection (synchronous=FULL: every write durable), committed before `run` returns (the CLI, tests). */
export function inThreadWrites(db: Database): Writes {
  const statements = new Map<string, Statement>();
  return {
    run: (sql, params) => {
      try {
        let st = statements.get(sql);
        if (st === undefined) statements.set(sql, (st = db.prepare(sql)));
        return Promise.resolve({ changes: st.run(params).changes });
      } catch (cause) {
        return Promise.reject(writeFailed(cause, db.name));
      }
    },
  };
}

function writeFailed(cause: unknown, path: string): PtgwError {
  const why = cause instanceof Error ? cause.message : String(cause);
  // SQLite's "database or disk is full" names neither the file nor what to do.
  const full = /disk is full/i.test(why) ? ': free space on the disk that holds it (the terminals answer "not saved, retry" meanwhile)' : '';
  return new PtgwError('CACHE_WRITE_FAILED', `The cache ${path} could not store a change: ${why}${full}.`, { cause });
}

// Every write that arrived while the previous batch committed goes into the next transaction (a savepoint each, so one failing write fails alone): one fsync
// for all terminals that accepted at the same moment.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = ${60_000}');
db.pragma('synchronous = FULL');
const statements = new Map();
const one = db.transaction((op) => {
  let st = statements.get(op.sql);
  if (st === undefined) statements.set(op.sql, (st = db.prepare(op.sql)));
  return st.run(op.params).changes;
});
const batch = db.transaction((ops) => ops.map((op) => {
  try { return { id: op.id, changes: one(op) }; } catch (err) { return { id: op.id, error: String(err && err.message || err) }; }
}));
let queue = [];
let synchronous = 'FULL';
function flush() {
  const ops = queue;
  queue = [];
  if (ops.length === 0) return;
  let results;
  try {
    const wanted = ops.some((op) => op.durable) ? 'FULL' : 'NORMAL';
    if (wanted !== synchronous) db.pragma('synchronous = ' + (synchronous = wanted));
    results = batch.immediate(ops);
  } catch (err) { results = ops.map((op) => ({ id: op.id, error: String(err && err.message || err) })); }
  parentPort.postMessage(results);
}
parentPort.on('message', (m) => {
  if (m === 'stop') { flush(); db.close(); process.exit(0); }
  if (m.autoCheckpoint !== undefined) { db.pragma('wal_autocheckpoint = ' + Number(m.autoCheckpoint)); return; }
  queue.push(m);
  if (queue.length === 1) setImmediate(flush);
});
`;

interface Pending {
  resolve: (r: { changes: number }) => void;
  reject: (err: Error) => void;
}

/**
 * Commits writes (synchronous=FULL) in a worker thread with its own connection to the cache, so
 * the fsync of an accept — 0.3 ms on a quiet disk, several ms on a busy one — never stops the
 * event loop that answers every other terminal. Concurrent writes share one commit. If the
 * worker dies, the writes in flight fail (the terminal shows "not saved, retry") and later writes
 * go to the main connection, as before there was a worker.
 */
export class DurableWriter implements Writes, AutoCheckpointing {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #worker: SqliteWorker;
  readonly #pending = new Map<number, Pending>();
  #fallback: Writes | undefined;
  #seq = 0;
  #stopping = false;

  constructor(db: Database, options: { logger: Logger }) {
    this.#db = db;
    this.#log = options.logger.child({ module: 'writer' });
    this.#worker = new SqliteWorker(WORKER, db);
    const worker = this.#worker.worker;
    worker.on('message', (results: { id: number; changes?: number; error?: string }[]) => {
      for (const r of results) {
        const p = this.#pending.get(r.id);
        this.#pending.delete(r.id);
        if (r.error === undefined) p?.resolve({ changes: r.changes ?? 0 });
        else p?.reject(writeFailed(new Error(r.error), db.name));
      }
      if (this.#pending.size === 0) worker.unref();
    });
    worker.on('error', (err) => this.#fail(err.message));
    worker.once('exit', (code) => {
      if (!this.#stopping) this.#fail(`the worker exited (${code})`);
    });
  }

  run(sql: string, params: WriteParams, options: { durable?: boolean } = {}): Promise<{ changes: number }> {
    if (this.#fallback !== undefined) return this.#fallback.run(sql, params);
    if (this.#stopping) return Promise.reject(writeFailed(new Error('the gateway is stopping'), this.#db.name));
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Held while a write is in flight: an accept must not be lost to an idle process exiting.
      if (this.#pending.size === 1) this.#worker.worker.ref();
      this.#worker.worker.postMessage({ id, sql, params, durable: options.durable !== false });
    });
  }

  /** Sets wal_autocheckpoint on the worker's connection, before any write handed over after this call. */
  autoCheckpoint(pages: number): void {
    // The fallback writes on the main connection, whose setting is the checkpointer's own.
    if (this.#fallback !== undefined || this.#stopping) return;
    this.#worker.worker.postMessage({ autoCheckpoint: pages });
  }

  /** Commits what was handed over, then closes the worker's connection. */
  async stop(): Promise<void> {
    if (this.#stopping) return this.#worker.exited.then(() => undefined);
    this.#stopping = true;
    if (this.#fallback !== undefined) return;
    await this.#worker.stop();
  }

  #fail(why: string): void {
    if (this.#fallback !== undefined) return;
    this.#log.error({ why }, 'cache writer failed; writes are committed on the event loop from now on');
    this.#fallback = inThreadWrites(this.#db);
    // Whether these committed is unknown: the caller finds out (OutboxStore.add looks for its row).
    for (const p of this.#pending.values()) p.reject(writeFailed(new Error(why), this.#db.name));
    this.#pending.clear();
  }
}
