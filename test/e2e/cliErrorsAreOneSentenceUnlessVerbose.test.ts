import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();

/** A config whose cache file is no SQLite database: a runtime failure (exit 1) of ptgw lookup. */
function brokenCache(): string {
  const dir = tempDir();
  const config = writeGatewayConfig(dir, 'http://127.0.0.1:9');
  writeFileSync(join(dir, 'cache.sqlite'), 'not a database\n');
  return config;
}

describe('a ptgw command that fails', () => {
  it('prints one sentence naming what is wrong, no stack trace, exit 1', async () => {
    const r = await runCli(['lookup', '--config', brokenCache(), '--badge', '0001234', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ptgw: The cache \S+cache\.sqlite is damaged \(file is not a database\)[^\n]*\.\n$/);
  });

  it('adds the stack trace with --verbose', async () => {
    const r = await runCli(['lookup', '--verbose', '--config', brokenCache(), '--badge', '0001234', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ptgw: The cache \S+ is damaged[^\n]*\n/);
    expect(r.stderr).toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('with a usage error prints one sentence, exit 2', async () => {
    const r = await runCli(['lookup', '--config', brokenCache(), '--badge', '0001234', '--date', 'tomorrow', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ptgw: --date must be a calendar date like 2025-03-04 (got "tomorrow").\n');
  });
});
