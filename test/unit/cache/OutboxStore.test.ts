import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableWriter, inThreadWrites, type Writes } from '../../../src/cache/DurableWriter.js';
import { OutboxStore, type OutboxRow } from '../../../src/cache/OutboxStore.js';
import { openCache } from '../../../src/cache/openCache.js';
import type { Selection } from '../../../src/core/dialog.js';
import { IDS } from '../../fixtures/seedModel.js';
import { day, SV } from '../../support/modelBuilder.js';
import { silentLogger } from '../../support/silentLogger.js';
import { useTempDir } from '../../support/tempDir.js';
import { waitFor } from '../../support/waitFor.js';

const tempDir = useTempDir();

function selection(personId: number, at: number): Selection {
  return {
    terminalId: 'T7',
    badge: '0001234',
    personId,
    structureVersion: SV,
    date: day('2025-03-04'),
    minuteOfDay: 487,
    at,
    levels: [{ level: 1, definitionId: IDS.maintenance, code: '1', name: 'Maintenance' }],
  };
}

const writers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of writers.splice(0)) await stop();
});

/** The daemon's writer (a worker thread) and the CLI's (the caller's connection) must behave alike. */
const WRITERS: [string, (db: Database) => Writes][] = [
  ['in a worker thread', (db) => {
    const w = new DurableWriter(db, { logger: silentLogger() });
    writers.push(() => w.stop());
    return w;
  }],
  ['on the caller\'s connection', (db) => inThreadWrites(db)],
];

describe.each(WRITERS)('the outbox, written %s', (_, writes) => {
  const open = (path = join(tempDir(), 'c.sqlite')): OutboxStore => {
    const db = openCache(path);
    return new OutboxStore(db, writes(db));
  };

  it('keeps an added selection across a reopen, in acceptance order', async () => {
    const path = join(tempDir(), 'c.sqlite');
    const db = openCache(path);
    const writer = writes(db);
    const outbox = new OutboxStore(db, writer);
    const a = await outbox.add(selection(1234, 1000), { externalCode: 'T7' });
    await outbox.add(selection(13, 2000), { id: 7 });
    if (writer instanceof DurableWriter) await writer.stop();
    db.close();
    const again = new OutboxStore(openCache(path));
    expect(again.next()).toMatchObject({ id: a.id, state: 'pending', date: '2025-03-04', timeOfDayInMinutes: 487, terminalRef: { externalCode: 'T7' } });
    expect(again.stats()).toEqual({ pending: 2, oldestPendingAt: 1000, delivered: 0, failed: 0 });
  });

  it('moves rows through sending, delivered and failed, and retries failed ones', async () => {
    const outbox = open();
    const a = await outbox.add(selection(1, 1), { id: 7 });
    const b = await outbox.add(selection(2, 2), { id: 7 });
    const c = await outbox.add(selection(3, 3), { id: 7 });
    expect(await outbox.claim([a.id, b.id, c.id])).toBe(3);
    // Claimed rows are claimed once: a second claim changes nothing.
    expect(await outbox.claim([a.id, b.id])).toBe(0);
    expect(outbox.head(5).map((r) => [r.id, r.state, r.attempts])).toEqual([[a.id, 'sending', 0], [b.id, 'sending', 0], [c.id, 'sending', 0]]);
    await outbox.markDelivered([{ id: a.id, at: 10, location: '/clockings/1', sent: true }]);
    expect(outbox.get(a.id)).toMatchObject({ state: 'delivered', deliveredAt: 10, location: '/clockings/1', attempts: 1 });
    await outbox.markFailed(b.id, 'Protime answered 400: person unknown');
    // A claimed row the sender did not get to goes back to pending, its attempts untouched.
    await outbox.release([c.id]);
    expect(outbox.next()).toMatchObject({ id: c.id, state: 'pending', attempts: 0 });
    await outbox.markDelivered([{ id: c.id, at: 20, location: null, sent: false }]);
    expect(outbox.get(c.id)).toMatchObject({ state: 'delivered', deliveredAt: 20, location: null, attempts: 0 });
    expect(outbox.next()).toBeUndefined();
    expect(outbox.stats()).toEqual({ pending: 0, oldestPendingAt: undefined, delivered: 2, failed: 1 });
    expect(outbox.list('failed').map((r) => [r.lastError, r.attempts])).toEqual([['Protime answered 400: person unknown', 1]]);
    expect(await outbox.retry()).toBe(1);
    // Back as `sending`: whatever it was refused for, it is looked up before it is POSTed again.
    expect(outbox.next()).toMatchObject({ id: b.id, state: 'sending', lastError: null });
  });

  it('records many deliveries with one write, each with its own time and location', async () => {
    const outbox = open();
    const rows = await Promise.all([1, 2, 3].map((i) => outbox.add(selection(i, i), { id: 7 })));
    await outbox.claim(rows.map((r) => r.id));
    await outbox.markDelivered(rows.map((r, i) => ({ id: r.id, at: 100 + i, location: `/clockings/${i}`, sent: true })));
    expect(rows.map((r) => outbox.get(r.id)).map((r) => [r?.state, r?.deliveredAt, r?.location])).toEqual([
      ['delivered', 100, '/clockings/0'],
      ['delivered', 101, '/clockings/1'],
      ['delivered', 102, '/clockings/2'],
    ]);
  });

  it('keeps the fields a change leaves out: a postponed row keeps its attempts, a retry of one id leaves the others', async () => {
    const outbox = open();
    const a = await outbox.add(selection(1, 1), { id: 7 });
    const b = await outbox.add(selection(2, 2), { id: 7 });
    await outbox.claim([a.id]);
    await outbox.postpone(a.id, 'sending', 5000, 'timeout', true);
    expect(outbox.get(a.id)).toMatchObject({ state: 'sending', attempts: 1, nextAttemptAt: 5000, lastError: 'timeout', location: null });
    await outbox.postpone(a.id, 'sending', 6000, 'look-up failed', false);
    expect(outbox.get(a.id)).toMatchObject({ state: 'sending', attempts: 1, nextAttemptAt: 6000, lastError: 'look-up failed' });
    await outbox.markFailed(a.id, 'refused');
    await outbox.markFailed(b.id, 'refused too');
    expect(outbox.get(a.id)).toMatchObject({ state: 'failed', attempts: 2, nextAttemptAt: 6000, lastError: 'refused' });
    expect(await outbox.retry(b.id)).toBe(1);
    expect(outbox.get(a.id)?.state).toBe('failed');
    expect(outbox.get(b.id)).toMatchObject({ state: 'sending', nextAttemptAt: 0 });
  });

  it('counts the other rows of the same clocking: delivered ones and earlier ones not failed as known, failed ones as unknown', async () => {
    const outbox = open();
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map((i) => outbox.add(selection(1, i), { id: 7 })));
    const other = { ...selection(1, 5), levels: [{ level: 1, definitionId: IDS.order100, code: '100', name: 'Order 100' }] };
    await outbox.add(other, { id: 7 });
    await outbox.markDelivered([{ id: a?.id as string, at: 10, location: null, sent: true }]);
    await outbox.markFailed(b?.id as string, 'in doubt');
    expect(outbox.alike(c as OutboxRow)).toEqual({ known: 1, unknown: 1 });
    expect(outbox.alike(d as OutboxRow)).toEqual({ known: 2, unknown: 1 });
    // A later row delivered is known too: a retried row is settled after the rows behind it.
    await outbox.markDelivered([{ id: d?.id as string, at: 20, location: null, sent: true }]);
    expect(outbox.alike(c as OutboxRow)).toEqual({ known: 2, unknown: 1 });
  });

  it('claims a batch by looking up its rows by id, not by reading every pending row of the backlog', async () => {
    const db = openCache(join(tempDir(), 'c.sqlite'));
    const base = writes(db);
    const sql: string[] = [];
    const outbox = new OutboxStore(db, { run: (s, params, options) => (sql.push(s), base.run(s, params, options)) });
    const rows = await Promise.all(Array.from({ length: 20 }, (_, i) => outbox.add(selection(i, i), { id: 7 })));
    sql.length = 0;
    expect(await outbox.claim(rows.slice(0, 5).map((r) => r.id))).toBe(5);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql[0] as string}`).all({ ids: '[]' }) as { detail: string }[]).map((p) => p.detail);
    // By state, the claim would walk the whole backlog (a week of it: 150,000 rows) inside the writer that commits the accepts.
    expect(plan.filter((d) => d.includes('outbox USING'))).toEqual([expect.stringMatching(/\(id=\?\)/)]);
  });

  it('prunes delivered rows past retention only', async () => {
    const outbox = open();
    const a = await outbox.add(selection(1, 1), { id: 7 });
    const b = await outbox.add(selection(2, 2), { id: 7 });
    await outbox.add(selection(3, 3), { id: 7 });
    await outbox.markDelivered([{ id: a.id, at: 100, location: null, sent: true }]);
    await outbox.markDelivered([{ id: b.id, at: 5000, location: null, sent: true }]);
    expect(await outbox.prune(1000)).toBe(1);
    expect(outbox.list().map((r) => r.personId).sort()).toEqual([2, 3]);
    expect(outbox.stats()).toEqual({ pending: 1, oldestPendingAt: 3, delivered: 1, failed: 0 });
  });

  it('keeps a delivered row past retention while a row of the same clocking is not delivered', async () => {
    const outbox = open();
    const a = await outbox.add(selection(1, 1), { id: 7 });
    const b = await outbox.add(selection(1, 2), { id: 7 });
    const c = await outbox.add(selection(2, 3), { id: 7 });
    await outbox.markDelivered([{ id: a.id, at: 100, location: null, sent: true }, { id: c.id, at: 100, location: null, sent: true }]);
    expect(await outbox.prune(1000)).toBe(1);
    expect(outbox.get(a.id)?.state).toBe('delivered');
    await outbox.markFailed(b.id, 'in doubt');
    expect(await outbox.prune(1000)).toBe(0);
    await outbox.markDelivered([{ id: b.id, at: 200, location: null, sent: false }]);
    expect(await outbox.prune(1000)).toBe(2);
  });

  it('keeps its counts equal to a full count through any mix of changes', async () => {
    const db = openCache(join(tempDir(), 'c.sqlite'));
    const outbox = new OutboxStore(db, writes(db));
    const ids: string[] = [];
    let seed = 7;
    const pick = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    for (let step = 0; step < 300; step++) {
      const id = ids[pick(Math.max(1, ids.length))];
      const op = ids.length === 0 ? 0 : pick(8);
      if (op === 0) ids.push((await outbox.add(selection(step, step), { id: 7 })).id);
      else if (op === 1) await outbox.claim(outbox.head(1 + pick(3)).map((r) => r.id));
      else if (op === 2) await outbox.markDelivered([{ id: id as string, at: step, location: null, sent: true }]);
      else if (op === 3) await outbox.markFailed(id as string, 'refused');
      else if (op === 4) await outbox.postpone(id as string, pick(2) === 0 ? 'pending' : 'sending', step, 'later', true);
      else if (op === 5) await outbox.retry();
      else if (op === 6) await outbox.release([id as string]);
      else await outbox.prune(step / 2);
    }
    const full = db.prepare("SELECT sum(state IN ('pending', 'sending')) AS pending, min(CASE WHEN state IN ('pending', 'sending') THEN created_at END) AS oldest, sum(state = 'delivered') AS delivered, sum(state = 'failed') AS failed FROM outbox").get() as Record<string, number | null>;
    expect(outbox.stats()).toEqual({ pending: full.pending ?? 0, oldestPendingAt: full.oldest ?? undefined, delivered: full.delivered ?? 0, failed: full.failed ?? 0 });
  });

  it('stores every one of many selections accepted at the same moment, and fails only a write that cannot be stored', async () => {
    const db = openCache(join(tempDir(), 'c.sqlite'));
    const writer = writes(db);
    const outbox = new OutboxStore(db, writer);
    const rows = await Promise.all(Array.from({ length: 50 }, (_, i) => outbox.add(selection(i, i), { id: 7 })));
    const [kept] = rows;
    const duplicate = writer.run('INSERT INTO outbox (id, terminal_id, terminal_ref, person_id, badge, structure_version, date, time_of_day_minutes, levels, created_at) VALUES (@id, \'T7\', \'{}\', 1, \'b\', \'sv\', \'2025-03-04\', 1, \'[]\', 1)', { id: kept?.id ?? '' });
    const alongside = outbox.add(selection(99, 99), { id: 7 });
    await expect(duplicate).rejects.toMatchObject({ code: 'CACHE_WRITE_FAILED' });
    await alongside;
    expect(outbox.stats().pending).toBe(51);
    expect(new Set(outbox.list().map((r) => r.personId)).size).toBe(51);
  });
});

describe('a cache whose disk is full', () => {
  it('refuses the selection with CACHE_WRITE_FAILED naming the file and saying to free space', async () => {
    const path = join(tempDir(), 'c.sqlite');
    const db = openCache(path);
    // Room for a few pages more, then SQLite answers SQLITE_FULL, "database or disk is full", as on a full disk.
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 4}`);
    const outbox = new OutboxStore(db);
    let refused: { code: string; message: string } | undefined;
    for (let i = 0; i < 10_000 && refused === undefined; i++) {
      await outbox.add(selection(1, i), { id: 7 }).catch((err: unknown) => (refused = err as { code: string; message: string }));
    }
    expect(refused?.code).toBe('CACHE_WRITE_FAILED');
    expect(refused?.message).toContain(path);
    expect(refused?.message).toMatch(/free space on the disk/);
    db.close();
  });
});

describe('the worker-thread writer', () => {
  it('falls back to the main connection when its worker cannot work, and says so in the log', async () => {
    const dir = tempDir();
    const db = openCache(join(dir, 'c.sqlite'));
    // The folder gone, the worker cannot open the cache; the main connection still has it open.
    rmSync(dir, { recursive: true, force: true });
    const lines: string[] = [];
    const writer = new DurableWriter(db, { logger: silentLogger(lines) });
    writers.push(() => writer.stop());
    const outbox = new OutboxStore(db, writer);
    let row: Awaited<ReturnType<OutboxStore['add']>> | undefined;
    // A write handed to the worker before it failed is refused (the terminal asks again); later ones succeed.
    await waitFor(async () => {
      row = await outbox.add(selection(1, 1), { id: 7 });
    });
    expect(outbox.get(row?.id ?? '')).toMatchObject({ personId: 1, state: 'pending' });
    expect(lines.some((l) => l.includes('cache writer failed'))).toBe(true);
  });

  it('takes a selection as recorded when the writer failed after committing it, so that the worker is not asked to clock it twice', async () => {
    const db = openCache(join(tempDir(), 'c.sqlite'));
    const real = inThreadWrites(db);
    // Committed, then the answer lost (the worker thread died just after its commit).
    const answerLost: Writes = {
      run: async (sql, params, options) => {
        await real.run(sql, params, options);
        throw Object.assign(new Error('the worker exited (1)'), { code: 'CACHE_WRITE_FAILED' });
      },
    };
    const row = await new OutboxStore(db, answerLost).add(selection(1, 1), { id: 7 });
    expect(new OutboxStore(db).get(row.id)).toMatchObject({ personId: 1, state: 'pending' });
    const notStored: Writes = { run: () => Promise.reject(Object.assign(new Error('disk I/O error'), { code: 'CACHE_WRITE_FAILED' })) };
    await expect(new OutboxStore(db, notStored).add(selection(2, 2), { id: 7 })).rejects.toMatchObject({ code: 'CACHE_WRITE_FAILED' });
    expect(new OutboxStore(db).stats().pending).toBe(1);
  });

  it('refuses writes once it is stopping, with CACHE_WRITE_FAILED', async () => {
    const db = openCache(join(tempDir(), 'c.sqlite'));
    const writer = new DurableWriter(db, { logger: silentLogger() });
    await writer.stop();
    await expect(new OutboxStore(db, writer).add(selection(1, 1), { id: 7 })).rejects.toMatchObject({ code: 'CACHE_WRITE_FAILED' });
  });
});
