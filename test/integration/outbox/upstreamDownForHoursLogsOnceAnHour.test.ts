import { describe, expect, it } from 'vitest';
import { usePerTest } from '../../support/perTest.js';
import { senderRig } from '../../support/senderRig.js';

const startRig = usePerTest(senderRig);

describe('deliveries while Protime stays unavailable', () => {
  it('are logged as failing once, then once an hour with the count, not on every attempt, and once when they go through again', async () => {
    const logs: string[] = [];
    const rig = await startRig({ logs, sender: { backoff: { baseMs: 60_000, maxMs: 60_000 } } });
    await rig.add(480);
    rig.sim.faults.add({ kind: 'status', status: 503, times: -1, match: { path: '/clockings' } });
    // Three hours of attempts a minute apart.
    for (let i = 0; i < 180; i++) {
      expect(await rig.sender.round()).toMatchObject({ delivered: 0, postponed: true });
      rig.now.value += 60_000;
    }
    const loud = logs.map((l) => JSON.parse(l) as { level: number; msg: string; repeats?: number }).filter((l) => l.level >= 40);
    expect(loud.length).toBeLessThanOrEqual(12);
    expect(loud[0]?.msg).toMatch(/once an hour/);
    expect(loud.some((l) => (l.repeats ?? 0) >= 50)).toBe(true);
    rig.sim.faults.clear();
    expect(await rig.sender.round()).toMatchObject({ delivered: 1 });
    expect(rig.sim.clockings()).toHaveLength(1);
    expect(logs.map((l) => JSON.parse(l) as { failedAttempts?: number }).find((l) => l.failedAttempts !== undefined)?.failedAttempts).toBe(180);
  }, 60_000);
});
