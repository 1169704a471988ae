import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useGatewayRig } from '../support/gatewayRig.js';
import { waitFor } from '../support/waitFor.js';

const startRig = useGatewayRig();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('stopping the gateway (SIGTERM) during an accept', () => {
  it('still shows "accepted" for the selection waiting for the disk, stores it, and only then closes the port', async () => {
    const rig = await startRig();
    const t = rig.terminal();
    await t.exchange('B0001234');
    await t.exchange('K1');
    await t.exchange('K100');
    // Another connection holds the cache's write lock: the accept's commit waits, as behind a slow disk.
    const blocker = new Database(rig.gateway.config.cache.path);
    blocker.exec('BEGIN IMMEDIATE');
    const from = t.lines.length;
    await t.send('K26');
    // The dialog is over and its accept waits for the disk: the terminal is idle, nothing counted yet.
    await waitFor(() => expect(rig.gateway.terminals[0]?.status).toMatchObject({ state: 'idle', accepted: 0 }));
    const stopped = rig.gateway.stop();
    // A while for the stop to get as far as it can: it must not reply, nor close the port, meanwhile.
    await sleep(200);
    expect(rig.gateway.devices[0]?.status.connected).toBe(true);
    expect(t.lines.slice(from)).toEqual([]);
    blocker.exec('ROLLBACK');
    blocker.close();
    await stopped;
    expect(await t.next(1, from)).toEqual(['APainting']);
    expect(rig.gateway.devices[0]?.status.connected).toBe(false);
    // Input after the stop began is not taken: the worker sees nothing, and nothing is recorded for it.
    await t.send('B0001234');
    await sleep(200);
    expect(t.lines.slice(from)).toEqual(['APainting']);
    const cache = new Database(rig.gateway.config.cache.path, { readonly: true });
    expect(cache.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 1 });
    cache.close();
    expect(rig.gateway.terminals[0]?.status.accepted).toBe(1);
  });
});
