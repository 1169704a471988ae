import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { PtgwError } from '../core/errors.js';
import { cacheError } from './cacheError.js';
import { migrate, SCHEMA_VERSION } from './migrations.js';

/**
 * Opens (creating when needed) the cache file in WAL mode with synchronous=FULL: every commit is
 * on disk before it returns, which the outbox relies on, and readers never block the writer.
 */
export function openCache(path: string, options: { readonly?: boolean } = {}): Database.Database {
  let db: Database.Database;
  try {
    if (options.readonly !== true && path !== ':memory:') createPrivately(path);
    db = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
  } catch (cause) {
    throw cacheError(path, cause);
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (options.readonly !== true) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } else {
      const version = db.pragma('user_version', { simple: true }) as number;
      // An older cache can be migrated by a writer; a newer one was written by a newer ptgw, which
      // no sync of this one will undo.
      if (version < SCHEMA_VERSION) {
        throw new PtgwError('CACHE_OPEN_FAILED', `The cache ${path} has schema version ${version}, this ptgw expects ${SCHEMA_VERSION}; run ptgw sync (or start the daemon) once to migrate it.`);
      }
      if (version > SCHEMA_VERSION) {
        throw new PtgwError('CACHE_SCHEMA_TOO_NEW', `The cache ${path} has schema version ${version}, newer than this ptgw understands (${SCHEMA_VERSION}); upgrade ptgw or move the cache aside.`);
      }
    }
    return db;
  } catch (cause) {
    db.close();
    if (cause instanceof PtgwError) throw cause;
    throw cacheError(path, cause);
  }
}

/**
 * The cache holds every person's badge and employee number: a new file (and the folder made for it)
 * is its owner's only, whatever the umask; SQLite gives the WAL and shared-memory files the same
 * mode. An existing file keeps the mode its operator gave it.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
