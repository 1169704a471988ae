import type { Database } from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { PtgwError } from '../core/errors.js';

/**
 * Writes everything the open connection sees (committed by any connection) into a new file at
 * `target`, made the owner's only first: VACUUM INTO keeps the mode of an empty file it is given.
 * For a cache whose file was removed under the daemon: the open connection is then the only way
 * left to its undelivered clockings.
 */
export function saveOpenCache(db: Database, target: string): void {
  try {
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    closeSync(openSync(target, 'wx', 0o600));
    db.prepare('VACUUM INTO ?').run(target);
  } catch (cause) {
    throw new PtgwError('CACHE_WRITE_FAILED', `The cache could not be saved to ${target}: ${(cause as Error).message}.`, { cause });
  }
}
