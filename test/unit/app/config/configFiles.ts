import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { loadConfig, type ConfigError, type LoadOptions } from '../../../../src/app/config/loadConfig.js';
import { isPtgwError } from '../../../../src/core/errors.js';

/** Config files for the loader's tests: real files in temporary folders, removed after each test. */

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/config/', import.meta.url));
export const SV = 'b2347a7a-d60d-446f-b03b-7es2cc8c3281';
export const SECRET = 'S3cr3t-Value-0f-The-Client';

/** Line 1 is site, line 2 protime, its keys on lines 3–6; appended text starts on line 7. */
export const MINIMAL = `site: {timeZone: Europe/Brussels}
protime:
  tenant: acme
  clientId: gw
  clientSecretFile: secret.txt
  structureVersions: [${SV}]
`;

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptgw-config-'));
  made.push(dir);
  return dir;
}

/** Writes `yaml` as config.yaml into a new folder, with secret.txt next to it unless `secret` is null. */
export function writeConfig(yaml: string, secret: string | null = `${SECRET}\n`): string {
  const dir = tempDir();
  if (secret !== null) writeFileSync(join(dir, 'secret.txt'), secret);
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** The error loadConfig throws; fails the test when it does not throw a PtgwError. */
export function loadFailure(options: LoadOptions): ConfigError {
  try {
    loadConfig({ env: {}, ...options });
  } catch (err) {
    if (isPtgwError(err)) return err as ConfigError;
    throw err;
  }
  throw new Error('expected loadConfig to throw');
}
