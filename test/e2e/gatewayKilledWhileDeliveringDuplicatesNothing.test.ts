import { describe, expect, it } from 'vitest';
import { daemonAgainstSimulator } from '../support/daemonRig.js';
import { usePerTest } from '../support/perTest.js';
import { waitFor } from '../support/waitFor.js';

const startRig = usePerTest(daemonAgainstSimulator);

/** Eight different selections (badge × operation), so each clocking upstream is recognisable. */
const DIALOGS: [string, string, string, string][] = [
  ['0001234', '1', '100', '26'],
  ['0001234', '1', '101', '1101'],
  ['0001234', '2', '200', '2001'],
  ['0001234', '3', '300', '3001'],
  ['0000013', '1', '100', '26'],
  ['0000013', '1', '101', '1102'],
  ['0000013', '2', '200', '2002'],
  ['0000013', '3', '301', '3011'],
];

describe('the gateway killed with SIGKILL while it delivers the outbox', () => {
  it('loses nothing and duplicates nothing after restart', async () => {
    const { sim, daemon } = await startRig();
    const t = await daemon.start();
    await waitFor(() => expect(daemon.proc?.stdout).toMatch(/"msg":"sync done"/), { timeoutMs: 15_000 });
    // Upstream down for clockings while the dialogs are accepted.
    sim.faults.add({ kind: 'status', status: 503, times: -1, match: { method: 'POST', path: '/clockings' } });
    for (const [badge, ...codes] of DIALOGS) {
      await t.exchange(`B${badge}`);
      for (const code of codes.slice(0, -1)) await t.exchange(`K${code}`);
      expect((await t.exchange(`K${codes.at(-1) as string}`))[0]?.startsWith('A')).toBe(true);
    }
    // Upstream back, but slow: each clocking takes 150 ms to be stored and answered.
    sim.faults.clear();
    sim.faults.add({ kind: 'latency', ms: 150, times: -1, match: { method: 'POST', path: '/clockings' } });
    await waitFor(() => expect(sim.clockings().length).toBeGreaterThanOrEqual(3), { timeoutMs: 20_000 });
    await daemon.kill();
    const beforeRestart = sim.clockings().length;
    expect(beforeRestart).toBeLessThan(8);

    await daemon.start();
    // Delivered is recorded after a row's last send: once all eight are, nothing more is sent.
    await waitFor(() => expect(daemon.outboxStats()).toMatchObject({ pending: 0, delivered: 8, failed: 0 }), { timeoutMs: 30_000 });
    const received = sim.clockings().map((c) => `${c.person.id}:${c.activityLevels?.[2]?.activityDefinition.id}`);
    expect(new Set(received).size).toBe(8);
    expect(received).toHaveLength(8);
  });
});
