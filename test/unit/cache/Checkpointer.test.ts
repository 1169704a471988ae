import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Checkpointer } from '../../../src/cache/Checkpointer.js';
import { openCache } from '../../../src/cache/openCache.js';
import { silentLogger } from '../../support/silentLogger.js';
import { useTempDir } from '../../support/tempDir.js';
import { waitFor } from '../../support/waitFor.js';

const tempDir = useTempDir();

describe('checkpoints off the event loop', () => {
  it('keep the WAL from growing while automatic checkpoints are off, and hand back to SQLite when stopped', async () => {
    const path = join(tempDir(), 'cache.sqlite');
    const db = openCache(path);
    const checkpointer = new Checkpointer(db, { everyMs: 20, logger: silentLogger() });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec('CREATE TABLE blob (v BLOB)');
    const insert = db.prepare('INSERT INTO blob (v) VALUES (?)');
    const sizes: number[] = [];
    for (let r = 0; r < 20; r++) {
      db.transaction(() => {
        for (let i = 0; i < 16; i++) insert.run(Buffer.alloc(64 * 1024, r));
      })();
      sizes.push(statSync(`${path}-wal`).size);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // 20 MiB were written; the WAL was reused after each checkpoint instead of growing to 20 MiB.
    expect(Math.max(...sizes)).toBeLessThan(6 * 1024 * 1024);
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('falls back to automatic checkpoints when the worker fails', async () => {
    const path = join(tempDir(), 'cache.sqlite');
    const db = openCache(path);
    // The worker is pointed at a file it cannot open: it fails at once.
    const missing = join(tempDir(), 'missing', 'nowhere.sqlite');
    const elsewhere = new Proxy(db, {
      get: (target, prop) => {
        if (prop === 'name') return missing;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const checkpointer = new Checkpointer(elsewhere, { everyMs: 20, logger: silentLogger() });
    await waitFor(() => expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000));
    await checkpointer.stop();
    db.close();
  });

  it('warns once when checkpoints fail, and the worker stops trying', async () => {
    const dir = tempDir();
    const db = openCache(join(dir, 'cache.sqlite'));
    // The worker's connection opens, then finds no database there (as after the file was replaced
    // under it): every checkpoint it tries fails with "file is not a database".
    const notADatabase = join(dir, 'replaced.sqlite');
    writeFileSync(notADatabase, Buffer.alloc(8192, 7));
    const elsewhere = new Proxy(db, {
      get: (target, prop) => {
        if (prop === 'name') return notADatabase;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const lines: string[] = [];
    const warnings = (): string[] => lines.filter((l) => l.includes('checkpoint worker failed'));
    const checkpointer = new Checkpointer(elsewhere, { everyMs: 10, logger: silentLogger(lines) });
    await waitFor(() => expect(warnings().length).toBeGreaterThan(0));
    expect(warnings()[0]).toContain('file is not a database');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    // Fifty more of its intervals: a worker still on its timer would have failed and warned again by now.
    await new Promise((resolve) => setTimeout(resolve, 50 * 10));
    await checkpointer.stop();
    expect(warnings()).toHaveLength(1);
    db.close();
  });
});
