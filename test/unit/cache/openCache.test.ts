import { statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../../src/cache/openCache.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
let umask: number;
beforeEach(() => {
  // The usual login umask: files are world-readable unless ptgw says otherwise.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
});

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('a new cache file', () => {
  it('is readable by its owner only, with its WAL and shared-memory files: it holds every badge number', () => {
    const dir = join(tempDir(), 'state');
    const path = join(dir, 'cache.sqlite');
    const db = openCache(path);
    db.prepare('CREATE TABLE probe (x)').run();
    expect([mode(dir), mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual(['700', '600', '600', '600']);
    db.close();
  });

  it('keeps the mode an operator gave an existing file', () => {
    const path = join(tempDir(), 'cache.sqlite');
    writeFileSync(path, '');
    chmodSync(path, 0o640);
    openCache(path).close();
    expect(mode(path)).toBe('640');
  });
});
