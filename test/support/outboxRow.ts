import type { OutboxRow, OutboxStore } from '../../src/cache/OutboxStore.js';
import { parseDay } from '../../src/core/day.js';
import { DEMO_SV } from './syncHarness.js';

/**
 * Stores the demo tenant's person 1234 badging in on terminal T7 on 2025-03-04 at `minute`, as an
 * accept does: the row a test needs in the outbox without playing a dialog.
 */
export function addClocking(outbox: OutboxStore, minute = 480, levels: OutboxRow['levels'] = []): Promise<OutboxRow> {
  return outbox.add(
    { terminalId: 'T7', badge: '0001234', personId: 1234, structureVersion: DEMO_SV, date: parseDay('2025-03-04') as number, minuteOfDay: minute, at: 1_700_000_000_000 + minute, levels },
    { externalCode: 'T7' },
  );
}
