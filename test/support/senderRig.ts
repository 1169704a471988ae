import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import type { Writes } from '../../src/cache/DurableWriter.js';
import { OutboxStore, type OutboxRow } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import type { Selection } from '../../src/core/dialog.js';
import { parseDay } from '../../src/core/day.js';
import { ClockingSender, type SenderOptions } from '../../src/protime/ClockingSender.js';
import { ProtimeClient } from '../../src/protime/ProtimeClient.js';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { silentLogger } from './silentLogger.js';
import { DEMO_FIXTURE, DEMO_SV } from './syncHarness.js';

export const DEMO_IDS = {
  maintenance: '0b3642ae-16c9-4914-b099-2ba4b99d5ee9',
  order100: '22d320ed-f6ed-44bd-b7b1-fe58f518960c',
  cleaning: '38fc2206-b51f-434a-9c36-9e0esfc5e70e',
} as const;

export interface SenderRig {
  sim: Simulator;
  outbox: OutboxStore;
  db: Database;
  sender: ClockingSender;
  client: ProtimeClient;
  now: { value: number };
  /** The selection a terminal accepting at `minute` makes. */
  selection: (minute: number, cleaning?: string) => Selection;
  add: (minute: number, cleaning?: string) => Promise<OutboxRow>;
  close: () => Promise<void>;
}

/** The outbox on a real cache file, delivered by the real sender over HTTP to the simulator; the sender's clock is the test's. */
export async function senderRig(dir: string, options: { writes?: (db: Database) => Writes; sender?: Partial<SenderOptions>; logs?: string[] } = {}): Promise<SenderRig> {
  const sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
  const db = openCache(join(dir, 'cache.sqlite'));
  const outbox = new OutboxStore(db, options.writes?.(db));
  const now = { value: Date.parse('2025-03-04T08:00:00Z') };
  const logger = silentLogger(options.logs);
  const client = new ProtimeClient({ baseUrl: sim.url, authUrl: sim.url, tenant: 'demo', clientId: 'gw', clientSecret: () => 'demo-secret', userAgent: 'ptgw-test', logger, timeouts: { connectMs: 2000, headersMs: 2000, bodyMs: 2000 }, backoff: { baseMs: 5, maxMs: 20 } });
  // Settling as long as the client's response timeout, as in the daemon.
  const sender = new ClockingSender({ client, outbox, logger, now: () => now.value, backoff: { baseMs: 1000, maxMs: 1000 }, settleMs: 2000, ...options.sender });
  const selection = (minute: number, cleaning: string = DEMO_IDS.cleaning): Selection => ({
    terminalId: 'T7',
    badge: '0001234',
    personId: 1234,
    structureVersion: DEMO_SV,
    date: parseDay('2025-03-04') as number,
    minuteOfDay: minute,
    at: now.value + minute,
    levels: [
      { level: 1, definitionId: DEMO_IDS.maintenance, code: '1', name: 'Maintenance' },
      { level: 2, definitionId: DEMO_IDS.order100, code: '100', name: 'Order 100' },
      { level: 3, definitionId: cleaning, code: '00026', name: 'Cleaning' },
    ],
  });
  const add = (minute: number, cleaning?: string): Promise<OutboxRow> => outbox.add(selection(minute, cleaning), { externalCode: 'T7' });
  return {
    sim,
    outbox,
    db,
    sender,
    client,
    now,
    selection,
    add,
    close: async () => {
      await sender.stop();
      await client.close();
      db.close();
      await sim.close();
    },
  };
}
