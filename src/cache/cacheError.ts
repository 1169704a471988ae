import { PtgwError } from '../core/errors.js';

/** SQLite's codes for a file whose pages are not SQLite's any more. */
const DAMAGED = /^SQLITE_(CORRUPT|NOTADB)/;

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
  } else {
    advice = `cannot be opened (${why})`;
  }
  return new PtgwError('CACHE_OPEN_FAILED', `The cache ${path} ${advice}.`, { cause });
}
