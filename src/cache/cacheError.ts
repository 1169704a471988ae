import { accessSync, constants } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { PtgwError } from '../core/errors.js';

/** SQLite's codes for a file whose pages are not SQLite's any more. */
const DAMAGED = /^SQLITE_(CORRUPT|NOTADB)/;
const DENIED = /^(SQLITE_(READONLY|PERM|AUTH)|EACCES|EPERM|EROFS)/;

/**
 * The error for a cache that cannot be opened or read, saying what the person at the box can do
 * about it: the SQLite message alone ("database disk image is malformed", "unable to open database
 * file") names neither the cause nor the way out.
 */
export function cacheError(path: string, cause: unknown): PtgwError {
  const code = String((cause as { code?: unknown }).code ?? '');
  const why = cause instanceof Error ? cause.message : String(cause);
  let advice: string;
  if (DAMAGED.test(code)) {
    advice =
      `is damaged (${why}); stop ptgw, list the clockings it still has to deliver with ptgw outbox list, ` +
      'move the file aside and start ptgw again, which fills a new cache at its first sync (README, "A damaged cache", copies the undelivered clockings over)';
  } else if (DENIED.test(code) || !writable(path)) {
    // SQLite says "unable to open database file" or "readonly database" alike for a file or a folder
    // (its -wal and -shm files) the user may not write, and for a read-only file system.
    advice =
      `cannot be opened for writing by user ${userName()} (${why}); give that user write access to the file and its folder ${dirname(path)} ` +
      '(under systemd keep cache.path in /var/lib/ptgw, the folder the unit gives it: StateDirectory)';
  } else {
    advice = `cannot be opened (${why})`;
  }
  return new PtgwError('CACHE_OPEN_FAILED', `The cache ${path} ${advice}.`, { cause });
}

/** Whether this process may write the file (when there is one) and the folder SQLite keeps its -wal and -shm files in. */
function writable(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK | constants.X_OK);
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return true;
  } catch {
    return false;
  }
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}
