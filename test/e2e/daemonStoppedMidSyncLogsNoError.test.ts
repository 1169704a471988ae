import { describe, expect, it } from 'vitest';
import { daemonProcess } from '../support/daemonProcess.js';
import { usePerTest } from '../support/perTest.js';
import { waitFor } from '../support/waitFor.js';

const startDaemon = usePerTest(daemonProcess);

describe('ptgw run stopped while a sync is under way', () => {
  it('exits 0 and puts no error in the journal: a stopped sync is not a failed one', async () => {
    // Protime answers the listing slowly: the first sync is still running when the stop comes.
    const { sim, daemon } = await startDaemon({ prepare: (s) => s.faults.add({ kind: 'latency', ms: 5000, times: -1, match: { path: '/activity-definitions' } }) });
    await waitFor(() => expect(sim.requests().some((r) => r.path.includes('/activity-definitions') && r.status === null)).toBe(true), { what: 'the sync to wait on the slow listing' });
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    expect(daemon.stdout).toMatch(/"msg":"sync stopped: the gateway is shutting down"/);
    const errors = daemon.stdout.split('\n').filter((line) => /"level":(50|60)/.test(line));
    expect(errors).toEqual([]);
  }, 40_000);
});
