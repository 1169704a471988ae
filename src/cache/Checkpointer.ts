import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { SqliteWorker } from './sqliteWorker.js';

/** SQLite's default: checkpoint when the WAL holds this many pages. */
const AUTO_CHECKPOINT_PAGES = 1000;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 2000');
// One failure ends the job: the main side checkpoints automatically from then on, and a timer left
// running would fail and be reported again every few seconds, forever on a failing disk.
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    clearInterval(timer);
    db.close();
    parentPort.postMessage(String(err && err.message || err));
  }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

/**
 * Moves WAL checkpoints off the event loop that answers terminals. SQLite normally checkpoints
 * inside whichever commit fills the WAL — an accept reply then waits for the main file's fsync.
 * A worker thread with its own connection checkpoints (PASSIVE: never blocking writers) on a timer
 * instead; if it fails, automatic checkpoints are switched back on (once: the worker then stops). The outbox writer's connection
 * keeps its own automatic checkpoint (1000 pages) as the bound on the WAL: the timer keeps it from
 * being reached below about 200 accepts a second, sustained (the devices benchmark: 772 pages in 5 s at 160 a second).
 */
export class Checkpointer {
  readonly #worker: SqliteWorker;
  readonly #db: Database;

  constructor(db: Database, options: { everyMs: number; logger: Logger }) {
    this.#db = db;
    this.#worker = new SqliteWorker(WORKER, db, { everyMs: options.everyMs });
    const fallBack = (why: string): void => {
      options.logger.warn({ why }, 'checkpoint worker failed; SQLite checkpoints automatically again');
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    };
    this.#worker.worker.on('message', (m: string) => fallBack(m));
    this.#worker.worker.on('error', (err) => fallBack(err.message));
    db.pragma('wal_autocheckpoint = 0');
  }

  async stop(): Promise<void> {
    if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    await this.#worker.stop();
  }
}
