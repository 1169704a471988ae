import { describe, expect, it } from 'vitest';
import { daemonProcess } from '../support/daemonProcess.js';
import { usePerTest } from '../support/perTest.js';

const startDaemon = usePerTest(daemonProcess);

describe('ptgw run given a second signal while it shuts down', () => {
  for (const [first, second] of [['SIGTERM', 'SIGTERM'], ['SIGINT', 'SIGINT'], ['SIGTERM', 'SIGINT']] as const) {
    it(`finishes the shutdown and exits 0 (${first} then ${second})`, async () => {
      const { daemon, hangingClient } = await startDaemon();
      // A request in flight keeps the shutdown busy for its grace period: the window for the second signal.
      await hangingClient();
      daemon.child.kill(first);
      await daemon.waitForOutput(/"msg":"shutting down"/);
      daemon.child.kill(second);
      expect(await daemon.exited).toEqual({ code: 0, signal: null });
      expect(daemon.stdout).toMatch(/"msg":"already shutting down/);
    }, 40_000);
  }
});
