import Database from 'better-sqlite3';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheError } from '../../../src/cache/cacheError.js';
import { openCache } from '../../../src/cache/openCache.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();

/** What SQLite throws at `act`, as the gateway would meet it. */
function sqliteFailure(act: () => void): unknown {
  try {
    act();
  } catch (err) {
    return err;
  }
  throw new Error('SQLite did not fail');
}

describe('the error for a cache that cannot be used', () => {
  it('says that a cache SQLite may not write needs write access for this user, naming the file and its folder', () => {
    // Root may write any file, so the refusal comes from a read-only connection: SQLite answers
    // SQLITE_READONLY, as it does to a service user on a root-made 0600 cache.
    const path = join(tempDir(), 'cache.sqlite');
    openCache(path).close();
    const db = new Database(path, { readonly: true });
    const cause = sqliteFailure(() => db.prepare('CREATE TABLE probe (x)').run());
    db.close();
    const err = cacheError(path, cause);
    expect(err.code).toBe('CACHE_OPEN_FAILED');
    expect(err.message).toContain(path);
    expect(err.message).toContain(dirname(path));
    expect(err.message).toContain(`user ${userInfo().username}`);
    expect(err.message).toMatch(/write access/);
    expect(err.cause).toBe(cause);
  });

  it('says that a damaged file is damaged and how to keep its undelivered clockings', () => {
    const path = join(tempDir(), 'cache.sqlite');
    const cause = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    const err = cacheError(path, cause);
    expect(err.code).toBe('CACHE_OPEN_FAILED');
    expect(err.message).toMatch(/damaged/);
    expect(err.message).toMatch(/ptgw outbox list/);
  });
});
