import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliProcess } from '../support/cli.js';
import { runCli, startSimulatorProcess } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();
const procs: CliProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop();
});

/**
 * Installed as the README says, the config names no secret: systemd hands it to the service only.
 * An operator at the box (`sudo ptgw outbox list` during an outage) has no $CREDENTIALS_DIRECTORY.
 */
function dropSecretKey(config: string): void {
  const data = parse(readFileSync(config, 'utf8')) as { protime: Record<string, unknown> };
  delete data.protime.clientSecretFile;
  writeFileSync(config, stringify(data));
  unlinkSync(join(config, '..', 'client-secret'));
}

describe('the commands that only read the cache, on a box whose secret only the service gets', () => {
  it('lookup, outbox list and outbox retry answer from the cache, while sync still names the missing secret', async () => {
    const { proc, url } = await startSimulatorProcess(DEMO_FIXTURE);
    procs.push(proc);
    const config = writeGatewayConfig(tempDir(), url);
    expect((await runCli(['sync', '--config', config])).code).toBe(0);
    dropSecretKey(config);

    const lookup = await runCli(['lookup', '--config', config, '--badge', '0001234', '--date', '2025-03-04', '--json', '1', '100', '00026']);
    expect(lookup.stderr).toBe('');
    expect(lookup.code).toBe(0);
    expect(JSON.parse(lookup.stdout)).toMatchObject({ decision: 'ACCEPTED' });

    const list = await runCli(['outbox', 'list', '--config', config]);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('0 pending, 0 delivered, 0 failed');

    const retry = await runCli(['outbox', 'retry', '--failed', '--config', config]);
    expect(retry.stderr).toBe('');
    expect(retry.code).toBe(0);

    const sync = await runCli(['sync', '--config', config]);
    expect(sync.code).toBe(2);
    expect(sync.stderr).toContain('protime.clientSecretFile');
  });
});
