import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CliProcess } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const tempDir = useTempDir();
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('ptgw run under systemd', () => {
  it('tells systemd it is ready, feeds the watchdog, and exits 0 on SIGTERM', async () => {
    sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    const dir = tempDir();
    const config = writeGatewayConfig(dir, sim.url);
    // systemd's notify socket, played by socat: a unix datagram socket whose messages we read.
    const socket = join(dir, 'notify.sock');
    const listener = spawn('socat', ['-u', `UNIX-RECVFROM:${socket},fork`, 'STDOUT'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let received = '';
    listener.stdout.on('data', (d: Buffer) => (received += d.toString()));
    try {
      await waitFor(async () => {
        const { existsSync } = await import('node:fs');
        if (!existsSync(socket)) throw new Error('socket not there yet');
      });
      const daemon = new CliProcess(['run', '--config', config], { NOTIFY_SOCKET: socket, WATCHDOG_USEC: '2000000' });
      await waitFor(() => expect(received).toContain('READY=1'), { timeoutMs: 20_000 });
      await waitFor(() => expect(received).toContain('WATCHDOG=1'), { timeoutMs: 5_000 });
      const exit = await daemon.stop('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(daemon.stdout).toContain('"msg":"shutting down"');
      // JSON logs for journald, and the client secret in none of them.
      expect(daemon.stdout.split('\n').filter((l) => l !== '').every((l) => l.startsWith('{'))).toBe(true);
      expect(daemon.stdout + daemon.stderr).not.toContain('demo-secret');
      await waitFor(() => expect(received).toContain('STOPPING=1'), { timeoutMs: 5_000 });
    } finally {
      listener.kill();
    }
  });
});
