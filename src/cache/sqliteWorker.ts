import type { Database } from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread with a connection of its own to the cache. `source` is a CommonJS script: an
 * eval'd worker has no module resolution of its own, so it finds `require(workerData.module)`
 * (this process's better-sqlite3) and `workerData.path` (the cache file) given, and it must
 * finish its work and exit on the message 'stop'.
 */
export class SqliteWorker {
  readonly worker: Worker;
  readonly exited: Promise<number>;

  constructor(source: string, db: Database, data: Record<string, unknown> = {}) {
    this.worker = new Worker(source, { eval: true, workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), path: db.name, ...data } });
    // Unref'd so that it never keeps a finished process alive; `stop` refs it while it finishes.
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
  }

  async stop(): Promise<void> {
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
