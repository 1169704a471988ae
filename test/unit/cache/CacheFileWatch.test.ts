import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheFileWatch } from '../../../src/cache/CacheFileWatch.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();

function watched(): { path: string; watch: CacheFileWatch } {
  const path = join(tempDir(), 'cache.sqlite');
  writeFileSync(path, 'the cache');
  const watch = new CacheFileWatch(path, { everyMs: 60_000, onChange: () => undefined });
  return { path, watch };
}

/** With the -wal and -shm files SQLite keeps beside a WAL-mode database, there when the watch starts. */
watched.withCompanions = (): { path: string; watch: CacheFileWatch } => {
  const path = join(tempDir(), 'cache.sqlite');
  for (const file of [path, `${path}-wal`, `${path}-shm`]) writeFileSync(file, 'the cache');
  return { path, watch: new CacheFileWatch(path, { everyMs: 60_000, onChange: () => undefined }) };
};

describe('the watch on the cache file', () => {
  it('sees no change while the file stays, written to or not', () => {
    const { path, watch } = watched();
    writeFileSync(path, 'written again in place');
    expect(watch.check()).toBeUndefined();
    watch.stop();
  });

  it('sees the file removed', () => {
    const { path, watch } = watched();
    rmSync(path);
    expect(watch.check()).toBe('removed');
    watch.stop();
  });

  it('sees another file put in its place, as a restore from a backup does', () => {
    const { path, watch } = watched();
    const other = `${path}.restored`;
    writeFileSync(other, 'a backup');
    renameSync(other, path);
    expect(watch.check()).toBe('replaced');
    watch.stop();
  });

  it("removes its database's own -wal and -shm files left at the path, and never another database's", () => {
    const { path, watch } = watched.withCompanions();
    writeFileSync(`${path}.restored-shm`, 'a restored backup brought its own');
    renameSync(`${path}.restored-shm`, `${path}-shm`);
    watch.removeOwnCompanions();
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(readFileSync(`${path}-shm`, 'utf8')).toBe('a restored backup brought its own');
    watch.stop();
  });
});
