import { describe, expect, it } from 'vitest';
import { daemonProcess } from '../support/daemonProcess.js';
import { usePerTest } from '../support/perTest.js';

const startDaemon = usePerTest(daemonProcess);

describe('ptgw run stopping while an HTTP client never finishes its request', () => {
  it('cuts the connection and exits 0 on SIGTERM, instead of waiting for it until the stop deadline', async () => {
    const { daemon, hangingClient } = await startDaemon();
    await hangingClient();
    // A shutdown still waiting for the client at its deadline exits 1, logging so: exit 0 is the proof.
    const exit = await Promise.race([daemon.stop('SIGTERM'), new Promise((r) => setTimeout(() => r('still running'), 25_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(daemon.stdout).not.toContain('shutdown did not finish in time');
  }, 40_000);
});
