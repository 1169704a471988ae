import { describe, expect, it } from 'vitest';
import { OutboxStore } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { daemonAgainstSimulator } from '../support/daemonRig.js';
import { usePerTest } from '../support/perTest.js';
import { waitFor } from '../support/waitFor.js';

const startRig = usePerTest(daemonAgainstSimulator);

describe('the gateway killed with SIGKILL right after an accept reply', () => {
  it('has the selection in its outbox after restart and delivers it', async () => {
    const { sim, daemon } = await startRig();
    const t = await daemon.start();
    await waitFor(() => expect(daemon.proc?.stdout).toMatch(/"msg":"sync done"/), { timeoutMs: 15_000 });
    // Protime stops answering clockings, so the selection cannot leave before the kill.
    sim.faults.add({ kind: 'hang', times: -1, match: { method: 'POST', path: '/clockings' } });
    await t.exchange('B0001234');
    await t.exchange('K1');
    await t.exchange('K100');
    expect(await t.exchange('K26')).toEqual(['APainting']);
    await daemon.kill();

    const db = openCache(daemon.cachePath);
    const rows = new OutboxStore(db).list();
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ personId: 1234, terminalId: 'T7' });
    expect(rows[0]?.state === 'pending' || rows[0]?.state === 'sending').toBe(true);

    sim.faults.clear();
    await daemon.start();
    // Delivered is recorded after its last send: from then on nothing more is sent for it.
    await waitFor(() => expect(daemon.outboxStats()).toMatchObject({ pending: 0, delivered: 1 }), { timeoutMs: 20_000 });
    // The row that was mid-send when killed was checked upstream first: exactly one clocking.
    expect(sim.clockings()).toHaveLength(1);
  });
});
