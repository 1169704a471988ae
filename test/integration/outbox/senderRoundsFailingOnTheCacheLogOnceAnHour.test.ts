import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inThreadWrites, type Writes } from '../../../src/cache/DurableWriter.js';
import { usePerTest } from '../../support/perTest.js';
import { senderRig } from '../../support/senderRig.js';
import { waitFor } from '../../support/waitFor.js';

const startRig = usePerTest(senderRig);

describe('sender rounds while the cache cannot store its changes', () => {
  it('are logged as failing once, not every few seconds, and the row goes out once the cache takes writes again', async () => {
    const logs: string[] = [];
    let broken: Database.Database | undefined;
    let failedWrites = 0;
    const rig = await startRig({
      logs,
      sender: { idlePollMs: 5 },
      writes: (db) => {
        const working = inThreadWrites(db);
        return {
          run: (sql, params, options) => {
            if (broken === undefined) return working.run(sql, params, options);
            failedWrites++;
            return inThreadWrites(broken).run(sql, params, options);
          },
        } satisfies Writes;
      },
    });
    await rig.add(480);
    // A connection of its own, closed: every write through it fails, as on a full or vanished disk.
    broken = new Database(rig.db.name);
    broken.close();
    rig.sender.start();
    await waitFor(() => expect(failedWrites).toBeGreaterThanOrEqual(30), { timeoutMs: 10_000 });

    const loud = logs.map((l) => JSON.parse(l) as { level: number; module?: string; msg: string }).filter((l) => l.level >= 40 && l.module === 'sender');
    expect(loud).toHaveLength(1);
    expect(loud[0]?.msg).toMatch(/once an hour/);

    broken = undefined;
    await waitFor(() => expect(rig.outbox.stats()).toMatchObject({ pending: 0, delivered: 1 }), { timeoutMs: 10_000 });
    expect(rig.sim.clockings()).toHaveLength(1);
  });
});
