import { describe, expect, it } from 'vitest';
import { syncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(syncRig);
const HOUR = 3_600_000;

describe('the wall clock set back after a full sync', () => {
  it('does not put off the next full sync for the size of the jump', async () => {
    // A gateway without a battery-backed clock boots a year ahead and syncs in full; NTP then corrects it.
    let now = Date.parse('2027-03-04T07:00:00Z');
    const rig = await startRig({ now: () => now });
    expect((await rig.engine.run()).full).toBe(true);
    now = Date.parse('2026-03-04T07:00:00Z');
    expect((await rig.engine.run()).full).toBe(true);
    // From then on the usual pace: incremental within the hour, in full after it.
    now += HOUR / 2;
    expect((await rig.engine.run()).full).toBe(false);
    now += HOUR;
    expect((await rig.engine.run()).full).toBe(true);
  });
});
