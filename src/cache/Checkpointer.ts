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

/** Another connection to the same cache, whose automatic checkpoints the checkpointer switches off and on. */
export interface AutoCheckpointing {
  /** SQLite's wal_autocheckpoint for that connection: 0 is off. */
  autoCheckpoint(pages: number): void;
}

/**
 * Moves WAL checkpoints off the event loop and off the accepts. SQLite normally checkpoints inside
 * whichever commit finds the WAL over 1000 pages, on any connection: an accept's commit right after
 * a sync then copies the whole sync into the main file first (measured: 21 ms after a sync of 2,000
 * pages, 139 ms after 20,000), and a commit on the event loop stops every terminal for as long. A
 * worker thread with its own connection checkpoints (PASSIVE: never blocking writers) on a timer
 * instead, and automatic checkpoints are off on this connection and on `others` (the outbox
 * writer's). If the worker fails, they are switched back on (once: the worker then stops), and
 * SQLite bounds the WAL again.
 */
export class Checkpointer {
  readonly #worker: SqliteWorker;
  readonly #db: Database;
  readonly #others: readonly AutoCheckpointing[];

  constructor(db: Database, options: { everyMs: number; logger: Logger; others?: readonly AutoCheckpointing[] }) {
    this.#db = db;
    this.#others = options.others ?? [];
    this.#worker = new SqliteWorker(WORKER, db, { everyMs: options.everyMs });
    const fallBack = (why: string): void => {
      options.logger.warn({ why }, 'checkpoint worker failed; SQLite checkpoints automatically again');
      this.#automatic(AUTO_CHECKPOINT_PAGES);
    };
    this.#worker.worker.on('message', (m: string) => fallBack(m));
    this.#worker.worker.on('error', (err) => fallBack(err.message));
    this.#automatic(0);
  }

  async stop(): Promise<void> {
    this.#automatic(AUTO_CHECKPOINT_PAGES);
    await this.#worker.stop();
  }

  #automatic(pages: number): void {
    if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${pages}`);
    for (const other of this.#others) other.autoCheckpoint(pages);
  }
}
