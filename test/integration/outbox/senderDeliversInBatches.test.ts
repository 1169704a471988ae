import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { inThreadWrites, type Writes } from '../../../src/cache/DurableWriter.js';
import { senderRig, type SenderRig } from '../../support/senderRig.js';
import { useTempDir } from '../../support/tempDir.js';
import { waitFor } from '../../support/waitFor.js';

const tempDir = useTempDir();
let rig: SenderRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The cache's own writes, noting which had to reach the disk before they returned. */
function countingWrites(durable: string[]): (db: Database) => Writes {
  return (db) => {
    const inner = inThreadWrites(db);
    return {
      run: (sql, params, options) => {
        if (options?.durable !== false) durable.push(sql.trim().split(/\s+/).slice(0, 4).join(' '));
        return inner.run(sql, params, options);
      },
    };
  };
}

const posts = (r: SenderRig): number => r.sim.requests().filter((q) => q.method === 'POST' && q.path.includes('/clockings')).length;

describe('the clocking sender working in rounds', () => {
  it('claims a whole batch with one disk flush, then delivers it in acceptance order', async () => {
    const durable: string[] = [];
    rig = await senderRig(tempDir(), { writes: countingWrites(durable) });
    for (const minute of [480, 481, 482, 483, 484]) await rig.add(minute);
    durable.length = 0;
    expect(await rig.sender.round()).toMatchObject({ delivered: 5, failed: 0, postponed: false, nextAttemptAt: undefined, more: false });
    // The adds flush once each (the accept contract); the five deliveries share one flush between them.
    expect(durable).toHaveLength(1);
    expect(rig.sim.clockings().map((c) => c.timeOfDayInMinutes)).toEqual([480, 481, 482, 483, 484]);
    expect(rig.outbox.list('delivered').every((r) => r.attempts === 1 && r.location !== null)).toBe(true);
  });

  it('sends none of the rows behind one that must wait, and gives them back unsent', async () => {
    rig = await senderRig(tempDir());
    const first = await rig.add(480);
    const second = await rig.add(481);
    const third = await rig.add(482);
    rig.sim.faults.add({ kind: 'reset', match: { method: 'POST', path: '/clockings' } });
    const round = await rig.sender.round();
    expect(round).toMatchObject({ delivered: 0, postponed: true });
    expect(round.nextAttemptAt).toBeGreaterThan(rig.now.value);
    expect(posts(rig)).toBe(1);
    // The first is in doubt (the connection broke after it was sent); the two behind it were never sent.
    expect([first, second, third].map((r) => rig?.outbox.get(r.id)?.state)).toEqual(['sending', 'pending', 'pending']);
    expect(rig.outbox.get(second.id)?.attempts).toBe(0);
    // Not yet due: the whole queue waits behind its oldest row.
    rig.now.value = (round.nextAttemptAt as number) - 1;
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: false });
    expect(posts(rig)).toBe(1);
    rig.now.value += 1;
    expect(await rig.sender.round()).toMatchObject({ delivered: 3, postponed: false });
    expect(rig.sim.clockings().map((c) => c.timeOfDayInMinutes)).toEqual([480, 481, 482]);
  });

  it('running, drains a burst in rounds of its batch size, in order, a short pause after it is woken', async () => {
    const durable: string[] = [];
    rig = await senderRig(tempDir(), { writes: countingWrites(durable), sender: { batchSize: 2, gatherMs: 50, idlePollMs: 60_000 } });
    rig.sender.start();
    await waitFor(() => expect(rig?.sim.requests().length).toBeGreaterThanOrEqual(0));
    for (const minute of [480, 481, 482, 483, 484]) await rig.add(minute);
    durable.length = 0;
    rig.sender.notify();
    await waitFor(() => expect(rig?.sim.clockings()).toHaveLength(5));
    expect(rig.sim.clockings().map((c) => c.timeOfDayInMinutes)).toEqual([480, 481, 482, 483, 484]);
    // Batches of two: three claims for five rows.
    expect(durable).toHaveLength(3);
    // Woken again for a row accepted later, it delivers it too: no poll interval to wait for.
    await rig.add(485);
    rig.sender.notify();
    await waitFor(() => expect(rig?.sim.clockings()).toHaveLength(6));
    expect(rig.outbox.stats()).toMatchObject({ pending: 0, delivered: 6 });
  });

  it('stopped in the middle of a round, records what was delivered and gives the rest back', async () => {
    rig = await senderRig(tempDir(), { sender: { batchSize: 10 } });
    for (const minute of [480, 481, 482, 483]) await rig.add(minute);
    rig.sim.faults.add({ kind: 'latency', ms: 150, times: -1, match: { method: 'POST', path: '/clockings' } });
    rig.sender.start();
    await waitFor(() => expect(rig?.sim.clockings().length).toBeGreaterThanOrEqual(1), { intervalMs: 5 });
    await rig.sender.stop();
    const delivered = rig.sim.clockings().length;
    expect(delivered).toBeLessThan(4);
    const rows = rig.outbox.list().reverse();
    expect(rows.map((r) => r.state)).toEqual([...Array(delivered).fill('delivered'), ...Array(4 - delivered).fill('pending')]);
  });
});
