import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableWriter } from '../../../src/cache/DurableWriter.js';
import { ModelStore } from '../../../src/cache/ModelStore.js';
import { OutboxStore } from '../../../src/cache/OutboxStore.js';
import { openCache } from '../../../src/cache/openCache.js';
import type { SyncBatch } from '../../../src/cache/syncBatch.js';
import { IDS } from '../../fixtures/seedModel.js';
import { day, person, SV } from '../../support/modelBuilder.js';
import { silentLogger } from '../../support/silentLogger.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();

const people = Array.from({ length: 200 }, (_, i) => person({ id: i + 1, badge: `B${i + 1}` }));

/** A people refresh: it reads the people it has before it writes, in one transaction. */
function peopleRefresh(syncedAt: number): SyncBatch {
  return { syncedAt, structureVersions: [], fullLevels: [], definitions: [], deletedDefinitions: [], fullPeople: true, people, deletedPeople: [], cursors: [] };
}

describe('a sync applied while terminals keep accepting', () => {
  it('neither fails nor loses an accept, though the outbox commits from another connection meanwhile', async () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    const writer = new DurableWriter(db, { logger: silentLogger() });
    const outbox = new OutboxStore(db, writer);
    store.apply(peopleRefresh(1));
    let accepting = true;
    const accepted = (async () => {
      let n = 0;
      while (accepting) {
        const selection = { terminalId: 'T7', badge: 'B1', personId: 1, structureVersion: SV, date: day('2025-03-04'), minuteOfDay: n % 1440, at: n, levels: [{ level: 1, definitionId: IDS.maintenance, code: '1', name: 'Maintenance' }] };
        await Promise.all([outbox.add(selection, { id: 7 }), outbox.add(selection, { id: 7 })]);
        n += 2;
      }
      return n;
    })();
    for (let i = 0; i < 300; i++) {
      store.apply(peopleRefresh(2 + i));
      await new Promise((r) => setImmediate(r));
    }
    accepting = false;
    const n = await accepted;
    await writer.stop();
    expect(outbox.stats().pending).toBe(n);
    expect(store.loadSnapshot().syncedAt).toBe(301);
    db.close();
  });
});
