import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childEnv, PTGW_BIN, runCli } from '../support/cli.js';
import { waitFor } from '../support/waitFor.js';

/** A fresh machine may lack socat: the demo's terminals then become local TCP ports. */
const NO_SOCAT = { PATH: '/nonexistent' };

describe('ptgw demo on a machine without socat', () => {
  it('plays the script over TCP terminals', async () => {
    const r = await runCli(['demo', '--script'], { env: NO_SOCAT, timeoutMs: 90_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('T7 < APainting');
    expect(r.stdout).toContain('Outbox: 2 delivered, 0 pending, 0 failed');
  });

  it('lets a person type into terminal T7 on its own standard input', async () => {
    const child = spawn(process.execPath, [PTGW_BIN, 'demo', '--port', '0'], { env: childEnv(NO_SOCAT), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor(() => expect(out).toContain('Ctrl+C stops the demo.'), { timeoutMs: 30_000 });
      // One instruction, said once: what to type, and where.
      expect(out).toContain('type here for T7');
      expect(out.split('one line at a time').length - 1).toBe(1);
      child.stdin.write('B0001234\n');
      await waitFor(() => expect(out).toContain('T7 < PLevel 1'));
      child.stdin.write('K1\n');
      await waitFor(() => expect(out).toContain('T7 < PMaintenance Level 2'));
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
