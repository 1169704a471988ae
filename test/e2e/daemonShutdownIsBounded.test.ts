import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { daemonProcess } from '../support/daemonProcess.js';
import { usePerTest } from '../support/perTest.js';

const HANG = fileURLToPath(new URL('../fixtures/faults/hangOnHttpClose.mjs', import.meta.url));
const UNIT = new URL('../../systemd/ptgw.service', import.meta.url);
const startDaemon = usePerTest(daemonProcess);

describe('ptgw run whose shutdown hangs', () => {
  it('gives up before systemd would SIGKILL it (TimeoutStopSec=20s), logs why and exits 1', async () => {
    const { daemon, hangingClient } = await startDaemon({ env: { NODE_OPTIONS: `--import ${HANG}` } });
    await hangingClient();
    daemon.child.kill('SIGTERM');
    const exit = await Promise.race([daemon.exited, new Promise((r) => setTimeout(() => r('still running'), 25_000))]);
    expect(exit).toEqual({ code: 1, signal: null });
    // The deadline it gave up at, as it logs it, is shorter than the one the shipped unit gives systemd.
    const gaveUp = /"level":50,.*"timeoutMs":(\d+),"msg":"shutdown did not finish in time/.exec(daemon.stdout);
    expect(gaveUp).not.toBeNull();
    const stopSec = /^TimeoutStopSec=(\d+)s$/m.exec(readFileSync(UNIT, 'utf8'));
    expect(stopSec).not.toBeNull();
    expect(Number(gaveUp?.[1])).toBeLessThan(Number(stopSec?.[1]) * 1000);
  }, 60_000);
});
