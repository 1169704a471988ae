import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { Checkpointer } from '../../../src/cache/Checkpointer.js';
import { DurableWriter } from '../../../src/cache/DurableWriter.js';
import { openCache } from '../../../src/cache/openCache.js';
import { silentLogger } from '../../support/silentLogger.js';
import { useTempDir } from '../../support/tempDir.js';
import { waitFor } from '../../support/waitFor.js';

const tempDir = useTempDir();

/** A sync's write on the main connection: some 2,000 new pages in the WAL. Returns the main file's size. */
function bigSync(db: Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS blob (v BLOB)');
  const insert = db.prepare('INSERT INTO blob (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(Buffer.alloc(4000, i % 256));
  })();
  return statSync(db.name).size;
}

/** The connection, but naming another file: a checkpoint worker given it fails at once. */
function pointedAt(db: Database, path: string): Database {
  return new Proxy(db, {
    get: (target, prop) => {
      if (prop === 'name') return path;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

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

  it('leave an accept after a big sync to commit alone: the outbox writer never copies the sync into the main file, the checkpointer does', async () => {
    const path = join(tempDir(), 'cache.sqlite');
    const db = openCache(path);
    const writer = new DurableWriter(db, { logger: silentLogger() });
    // A long interval: no tick between the sync and the accept.
    const idle = new Checkpointer(db, { everyMs: 60_000, logger: silentLogger(), others: [writer] });
    const before = bigSync(db);
    await writer.run('INSERT INTO blob (v) VALUES (@v)', { v: 'accepted' });
    // A checkpoint inside that commit would have moved the sync's 2,000 pages into the main file.
    expect(statSync(path).size).toBe(before);
    await idle.stop();
    const ticking = new Checkpointer(db, { everyMs: 20, logger: silentLogger(), others: [writer] });
    await waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 2000 * 4000));
    await writer.stop();
    await ticking.stop();
    db.close();
  });

  it('falls back to automatic checkpoints when the worker fails, on its own connection and on the outbox writer\'s, so the WAL stays bounded', async () => {
    const path = join(tempDir(), 'cache.sqlite');
    const db = openCache(path);
    const writer = new DurableWriter(db, { logger: silentLogger() });
    // The worker is pointed at a file it cannot open: it fails at once.
    const checkpointer = new Checkpointer(pointedAt(db, join(tempDir(), 'missing', 'nowhere.sqlite')), { everyMs: 20, logger: silentLogger(), others: [writer] });
    await waitFor(() => expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000));
    db.exec('CREATE TABLE blob (v BLOB)');
    // 1,500 commits of a page each through the writer: it checkpoints at 1,000 pages and the WAL starts over.
    for (let i = 0; i < 1500; i++) await writer.run('INSERT INTO blob (v) VALUES (@v)', { v: String(i).padEnd(4000, 'x') }, { durable: false });
    expect(statSync(`${path}-wal`).size).toBeLessThan(1200 * 4120);
    await writer.stop();
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
    const lines: string[] = [];
    const warnings = (): string[] => lines.filter((l) => l.includes('checkpoint worker failed'));
    const checkpointer = new Checkpointer(pointedAt(db, notADatabase), { everyMs: 10, logger: silentLogger(lines) });
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
