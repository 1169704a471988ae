import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableWriter } from '../../../src/cache/DurableWriter.js';
import { OutboxStore } from '../../../src/cache/OutboxStore.js';
import { openCache } from '../../../src/cache/openCache.js';
import { parseDay } from '../../../src/core/day.js';
import { silentLogger } from '../../support/silentLogger.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const DELIVERED = 3000;

describe('the retention prune of the rows a long outage left behind', () => {
  it('commits an accept made while it runs without waiting for the whole prune, and still prunes every row past retention', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    // The backlog as the sender leaves it once delivered: one row per accept, each its own clocking.
    const insert = db.prepare(`INSERT INTO outbox (id, terminal_id, terminal_ref, person_id, badge, structure_version, date, time_of_day_minutes, levels, created_at, state, delivered_at)
      VALUES (?, 'T7', '{"externalCode":"T7"}', ?, 'b', 'sv', '2025-03-04', ?, '[]', ?, 'delivered', 1000)`);
    db.transaction(() => {
      for (let i = 0; i < DELIVERED; i++) insert.run(`old-${i}`, 2000 + (i % 500), i % 1440, i);
    })();
    const writer = new DurableWriter(db, { logger: silentLogger() });
    stops.push(async () => {
      await writer.stop();
      db.close();
    });
    const outbox = new OutboxStore(db, writer);

    let pruned = false;
    const prune = outbox.prune(2000).then((n) => ((pruned = true), n));
    const accepted = await outbox.add(
      { terminalId: 'T7', badge: '0001234', personId: 1234, structureVersion: 'sv', date: parseDay('2025-03-04') as number, minuteOfDay: 480, at: 5000, levels: [] },
      { externalCode: 'T7' },
    );
    // One DELETE of them all holds the writer, and every terminal's "accepted", for seconds on a real backlog.
    expect(pruned).toBe(false);
    expect(await prune).toBe(DELIVERED);
    expect(outbox.stats()).toMatchObject({ pending: 1, delivered: 0 });
    expect(outbox.get(accepted.id)?.state).toBe('pending');
  });
});
