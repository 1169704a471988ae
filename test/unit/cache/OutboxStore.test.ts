import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutboxStore } from '../../../src/cache/OutboxStore.js';
import { openCache } from '../../../src/cache/openCache.js';
import type { Selection } from '../../../src/core/dialog.js';
import { IDS } from '../../fixtures/seedModel.js';
import { day, SV } from '../../support/modelBuilder.js';
import { useTempDir } from '../../support/tempDir.js';

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

describe('the outbox', () => {
  it('keeps an added selection across a reopen, in acceptance order', () => {
    const path = join(tempDir(), 'c.sqlite');
    const db = openCache(path);
    const outbox = new OutboxStore(db);
    const a = outbox.add(selection(1234, 1000), { externalCode: 'T7' });
    outbox.add(selection(13, 2000), { id: 7 });
    db.close();
    const again = new OutboxStore(openCache(path));
    expect(again.next()).toMatchObject({ id: a.id, state: 'pending', date: '2025-03-04', timeOfDayInMinutes: 487, terminalRef: { externalCode: 'T7' } });
    expect(again.stats()).toEqual({ pending: 2, oldestPendingAt: 1000, delivered: 0, failed: 0 });
  });

  it('moves rows through sending, delivered and failed, and retries failed ones', () => {
    const outbox = new OutboxStore(openCache(join(tempDir(), 'c.sqlite')));
    const a = outbox.add(selection(1, 1), { id: 7 });
    const b = outbox.add(selection(2, 2), { id: 7 });
    outbox.markSending(a.id);
    expect(outbox.next()).toMatchObject({ id: a.id, state: 'sending', attempts: 1 });
    outbox.markDelivered(a.id, 10, '/clockings/1');
    outbox.markFailed(b.id, 'Protime answered 400: person unknown');
    expect(outbox.next()).toBeUndefined();
    expect(outbox.stats()).toEqual({ pending: 0, oldestPendingAt: undefined, delivered: 1, failed: 1 });
    expect(outbox.list('failed').map((r) => r.lastError)).toEqual(['Protime answered 400: person unknown']);
    expect(outbox.retry()).toBe(1);
    expect(outbox.next()).toMatchObject({ id: b.id, state: 'pending', lastError: null });
  });

  it('prunes delivered rows past retention only', () => {
    const outbox = new OutboxStore(openCache(join(tempDir(), 'c.sqlite')));
    const a = outbox.add(selection(1, 1), { id: 7 });
    const b = outbox.add(selection(2, 2), { id: 7 });
    outbox.add(selection(3, 3), { id: 7 });
    outbox.markDelivered(a.id, 100, null);
    outbox.markDelivered(b.id, 5000, null);
    expect(outbox.prune(1000)).toBe(1);
    expect(outbox.list().map((r) => r.personId).sort()).toEqual([2, 3]);
  });
});
