import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/openCache.js';
import { childEnv, PTGW_BIN, type CliResult } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();

/** Root may write anything: as root, the child runs as nobody, the user a service without its StateDirectory would be to the folder. */
const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];
const user = asUser.length > 0 ? 'nobody' : userInfo().username;

function runAsUser(args: string[]): Promise<CliResult> {
  const [cmd, ...rest] = [...asUser, process.execPath, PTGW_BIN, ...args] as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, rest, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('a cache in a folder the service user may not write', () => {
  it('stops ptgw run with status 1, naming the user, the folder and that it needs write access', async () => {
    const dir = tempDir();
    const config = writeGatewayConfig(dir, 'http://127.0.0.1:9', { cache: { path: 'state/cache.sqlite' } });
    const state = join(dir, 'state');
    mkdirSync(state);
    // A cache made by root (sudo ptgw sync before the service ever ran), in a folder only root may write.
    openCache(join(state, 'cache.sqlite')).close();
    chmodSync(join(state, 'cache.sqlite'), 0o444);
    writeFileSync(join(dir, 'client-secret'), 'demo-secret\n', { mode: 0o644 });
    chmodSync(dir, 0o755);
    chmodSync(state, 0o555);
    chmodSync(join(dir, 'config.yaml'), 0o644);

    const run = await runAsUser(['run', '--config', config]).finally(() => chmodSync(state, 0o755));
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(join(state, 'cache.sqlite'));
    expect(run.stderr).toContain(`user ${user}`);
    expect(run.stderr).toMatch(/write access/);
  });
});
