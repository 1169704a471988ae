import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inThreadWrites, type Writes } from '../../../src/cache/DurableWriter.js';
import { PtgwError } from '../../../src/core/errors.js';
import { clockingBody } from '../../../src/protime/ClockingSender.js';
import { SCOPES } from '../../../src/core/scopes.js';
import { senderRig, type SenderRig } from '../../support/senderRig.js';
import { usePerTest } from '../../support/perTest.js';
import { waitFor } from '../../support/waitFor.js';

const startRig = usePerTest(senderRig);

/** The cache's own writes; `claims` counts the sender's durable claims, `failNext` makes the next write whose SQL matches fail. */
function observedWrites(): { writes: (db: Database) => Writes; claims: () => number; failNext: (sql: RegExp) => void } {
  let claims = 0;
  let fail: RegExp | undefined;
  return {
    claims: () => claims,
    failNext: (sql) => (fail = sql),
    writes: (db) => {
      const inner = inThreadWrites(db);
      return {
        run: (sql, params, options) => {
          if (fail?.test(sql) === true) {
            fail = undefined;
            return Promise.reject(new PtgwError('CACHE_WRITE_FAILED', 'The cache could not store a change: disk I/O error.'));
          }
          if (sql.includes("SET state = 'sending'") && options?.durable !== false) claims++;
          return inner.run(sql, params, options);
        },
      };
    },
  };
}

const posts = (r: SenderRig): number => r.sim.requests().filter((q) => q.method === 'POST' && q.path.includes('/clockings')).length;
const minutes = (r: SenderRig): number[] => r.sim.clockings().map((c) => c.timeOfDayInMinutes);

describe('the clocking sender working in rounds', () => {
  it('claims a whole batch with one disk flush, then delivers it in acceptance order', async () => {
    const w = observedWrites();
    const rig = await startRig({ writes: w.writes });
    for (const minute of [480, 481, 482, 483, 484]) await rig.add(minute);
    expect(await rig.sender.round()).toMatchObject({ delivered: 5, failed: 0, postponed: false, nextAttemptAt: undefined, more: false });
    expect(w.claims()).toBe(1);
    expect(minutes(rig)).toEqual([480, 481, 482, 483, 484]);
    expect(rig.outbox.list('delivered').every((r) => r.attempts === 1 && r.location !== null)).toBe(true);
  });

  it('sends none of the rows behind one that must wait, and gives them back unsent', async () => {
    const rig = await startRig();
    const first = await rig.add(480);
    const second = await rig.add(481);
    const third = await rig.add(482);
    rig.sim.faults.add({ kind: 'reset', match: { method: 'POST', path: '/clockings' } });
    const round = await rig.sender.round();
    expect(round).toMatchObject({ delivered: 0, postponed: true });
    expect(round.nextAttemptAt).toBeGreaterThan(rig.now.value);
    expect(posts(rig)).toBe(1);
    // The first is in doubt (the connection broke after it was sent); the two behind it were never sent.
    expect([first, second, third].map((r) => rig.outbox.get(r.id)?.state)).toEqual(['sending', 'pending', 'pending']);
    expect(rig.outbox.get(second.id)?.attempts).toBe(0);
    // Not yet due: the whole queue waits behind its oldest row.
    rig.now.value = (round.nextAttemptAt as number) - 1;
    expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: false });
    expect(posts(rig)).toBe(1);
    rig.now.value += 1;
    expect(await rig.sender.round()).toMatchObject({ delivered: 3, postponed: false });
    expect(minutes(rig)).toEqual([480, 481, 482]);
  });

  it('after a crash between its claim and its sends, sends each claimed row exactly once, even two equal ones', async () => {
    const rig = await startRig();
    // The same code scanned twice in one minute: two equal clockings, both wanted.
    const first = await rig.add(480);
    const twin = await rig.add(480);
    const other = await rig.add(481);
    // The previous process claimed all three, sent the first, and died before recording anything.
    await rig.outbox.claim([first.id, twin.id, other.id]);
    const { path, body } = clockingBody(first);
    await rig.client.request(path, { scope: SCOPES.clockingsWrite, method: 'POST', body, retry: false });
    expect(await rig.sender.round()).toMatchObject({ delivered: 3, failed: 0, postponed: false });
    expect(minutes(rig)).toEqual([480, 480, 481]);
    expect(posts(rig)).toBe(3);
    expect(rig.outbox.get(first.id)).toMatchObject({ state: 'delivered', attempts: 0 });
    expect(rig.outbox.get(twin.id)).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('when recording the deliveries fails, looks them up instead of sending them again', async () => {
    const w = observedWrites();
    const rig = await startRig({ writes: w.writes });
    for (const minute of [480, 481, 482]) await rig.add(minute);
    w.failNext(/SET\s+state = 'delivered'/);
    await expect(rig.sender.round()).rejects.toMatchObject({ code: 'CACHE_WRITE_FAILED' });
    expect(rig.outbox.list().map((r) => r.state)).toEqual(['sending', 'sending', 'sending']);
    expect(await rig.sender.round()).toMatchObject({ delivered: 3 });
    expect(minutes(rig)).toEqual([480, 481, 482]);
    expect(posts(rig)).toBe(3);
  });

  it('running, lets a burst gather after the first wake-up, however often it is woken meanwhile', async () => {
    const w = observedWrites();
    const rig = await startRig({ writes: w.writes, sender: { gatherMs: 300, idlePollMs: 60_000 } });
    rig.sender.start();
    // A row and a wake-up every 50 ms for a second: each wake-up must not push the round back.
    const started = Date.now();
    let firstDeliveryAfterMs: number | undefined;
    for (let i = 0; i < 20; i++) {
      await rig.add(480 + i);
      rig.sender.notify();
      if (firstDeliveryAfterMs === undefined && rig.sim.clockings().length > 0) firstDeliveryAfterMs = Date.now() - started;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(firstDeliveryAfterMs).toBeDefined();
    await waitFor(() => expect(rig.sim.clockings()).toHaveLength(20));
    expect(minutes(rig)).toEqual(Array.from({ length: 20 }, (_, i) => 480 + i));
    // Gathered: far fewer claims (disk flushes) than rows.
    expect(w.claims()).toBeLessThan(10);
  });

  it('running, goes straight on to the next batch while a backlog lasts', async () => {
    const w = observedWrites();
    // Without going straight on, each batch after the first would wait the minute-long gathering pause.
    const rig = await startRig({ writes: w.writes, sender: { batchSize: 2, gatherMs: 60_000, idlePollMs: 60_000 } });
    for (const minute of [480, 481, 482, 483, 484]) await rig.add(minute);
    rig.sender.start();
    await waitFor(() => expect(rig.sim.clockings()).toHaveLength(5));
    expect(minutes(rig)).toEqual([480, 481, 482, 483, 484]);
    expect(w.claims()).toBe(3);
  });

  it('stopped in the middle of a round, records what was delivered and gives the rest back', async () => {
    const rig = await startRig({ sender: { batchSize: 10 } });
    for (const minute of [480, 481, 482, 483]) await rig.add(minute);
    rig.sim.faults.add({ kind: 'latency', ms: 400, times: -1, match: { method: 'POST', path: '/clockings' } });
    rig.sender.start();
    await waitFor(() => expect(rig.sim.clockings().length).toBeGreaterThanOrEqual(1), { intervalMs: 5 });
    await rig.sender.stop();
    const delivered = rig.sim.clockings().length;
    expect(delivered).toBeLessThan(4);
    const rows = rig.outbox.list().reverse();
    expect(rows.map((r) => r.state)).toEqual([...Array<string>(delivered).fill('delivered'), ...Array<string>(4 - delivered).fill('pending')]);
  });

  it('stopped while it sends its last row, returns once that row is settled, without waiting for its poll', async () => {
    const rig = await startRig({ sender: { idlePollMs: 60_000 } });
    const row = await rig.add(480);
    rig.sim.faults.add({ kind: 'latency', ms: 300, times: -1, match: { method: 'POST', path: '/clockings' } });
    rig.sender.start();
    await waitFor(() => expect(posts(rig)).toBe(1), { intervalMs: 5 });
    const stopped = await Promise.race([rig.sender.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still waiting'), 10_000))]);
    expect(stopped).toBe('stopped');
    expect(rig.outbox.get(row.id)?.state).toBe('delivered');
  });
});
