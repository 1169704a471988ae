import { describe, expect, it } from 'vitest';
import { daemonProcess } from '../support/daemonProcess.js';
import { usePerTest } from '../support/perTest.js';

const startDaemon = usePerTest(daemonProcess);

/** The daemon's log lines that warn about the admin token. */
function tokenWarnings(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.includes('admin token'));
}

describe('ptgw run with a short admin token', () => {
  it('still takes it, and warns once at start-up how to make a better one without printing it', async () => {
    const token = 'Zq7#x';
    const { daemon, port } = await startDaemon({ env: { PTGW_ADMIN_TOKEN: token } });

    const res = await fetch(`http://127.0.0.1:${port}/api/sync`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect([401, 403]).not.toContain(res.status);

    const warnings = tokenWarnings(daemon.stdout);
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] as string)).toMatchObject({ level: 40 });
    expect(warnings[0]).toContain('shorter than 16 characters');
    expect(warnings[0]).toContain('openssl rand -hex 32');
    expect(daemon.stdout + daemon.stderr).not.toContain(token);
  });

  it('says nothing about a token of 16 characters or more', async () => {
    const { daemon } = await startDaemon({ env: { PTGW_ADMIN_TOKEN: '0123456789abcdef' } });
    expect(tokenWarnings(daemon.stdout)).toEqual([]);
  });
});
