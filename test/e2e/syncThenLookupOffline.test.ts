import { afterEach, describe, expect, it } from 'vitest';
import type { CliProcess} from '../support/cli.js';
import { runCli, startSimulatorProcess } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();
const procs: CliProcess[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop();
});

describe('ptgw lookup before anything was synced', () => {
  it('answers CACHE_EMPTY with exit 0, as a terminal would be told, instead of failing on the missing cache file', async () => {
    const config = writeGatewayConfig(tempDir(), 'http://127.0.0.1:9');
    const r = await runCli(['lookup', '--config', config, '--badge', '0001234', '--date', '2025-03-04', '--json', '1', '100', '00026']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'CACHE_EMPTY' });
  });
});

describe('ptgw sync, then ptgw lookup with the upstream gone', () => {
  it('syncs into the cache and keeps answering lookups from it after the simulator stopped', async () => {
    const { proc, url } = await startSimulatorProcess(DEMO_FIXTURE);
    procs.push(proc);
    const config = writeGatewayConfig(tempDir(), url);

    const sync = await runCli(['sync', '--config', config]);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/31 definitions written/);

    const lookupArgs = ['lookup', '--config', config, '--badge', '0001234', '--date', '2025-03-04', '--json', '1', '100', '00026'];
    const online = await runCli(lookupArgs);
    expect(online.code).toBe(0);
    expect(JSON.parse(online.stdout)).toEqual({
      decision: 'ACCEPTED',
      steps: [
        { level: 1, code: '1', decision: 'ACCEPTED', definitionId: '0b3642ae-16c9-4914-b099-2ba4b99d5ee9', name: 'Maintenance' },
        { level: 2, code: '100', decision: 'ACCEPTED', definitionId: '22d320ed-f6ed-44bd-b7b1-fe58f518960c', name: 'Order 100 Building' },
        { level: 3, code: '00026', decision: 'ACCEPTED', definitionId: '38fc2206-b51f-434a-9c36-9e0esfc5e70e', name: 'Cleaning' },
      ],
    });

    await proc.stop();
    const offline = await runCli(lookupArgs);
    expect(offline.stdout).toBe(online.stdout);

    const human = await runCli(['lookup', '--config', config, '--badge', '0001234', '--date', '2025-03-04', '1', '100', '2001']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('REJECTED (WRONG_PARENT)');
    expect(human.stdout).toContain('Welding');

    const failed = await runCli(['sync', '--config', config]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^ptgw: /);
    expect(failed.stderr).not.toContain('demo-secret');
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 with one sentence on a bad argument or config', async () => {
    const dir = tempDir();
    const config = writeGatewayConfig(dir, 'http://127.0.0.1:9');
    const badDate = await runCli(['lookup', '--config', config, '--badge', '1', '--date', '2025-13-01', '1']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--date');
    const missing = await runCli(['sync', '--config', `${dir}/nope.yaml`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
  });
});
