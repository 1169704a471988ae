import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkConfig, loadConfig } from '../../../../src/app/config/loadConfig.js';
import { isPtgwError, type PtgwError } from '../../../../src/core/errors.js';
import { useTempDir } from '../../../support/tempDir.js';

const tempDir = useTempDir();
const FULL = fileURLToPath(new URL('../../../fixtures/config/full.yaml', import.meta.url));
const MINIMAL = `site: {timeZone: Europe/Brussels}
protime:
  tenant: acme
  clientId: gw
  clientSecretFile: secret.txt
  structureVersions: [b2347a7a-d60d-446f-b03b-7es2cc8c3281]
`;

function write(yaml: string, secret: string | null = 's3cr3t-value'): string {
  const dir = tempDir();
  if (secret !== null) writeFileSync(join(dir, 'secret.txt'), `${secret}\n`);
  const file = join(dir, 'config.yaml');
  writeFileSync(file, yaml);
  return file;
}

function failure(path: string, env: NodeJS.ProcessEnv = {}): PtgwError & { problems?: { line?: number; key: string }[] } {
  try {
    loadConfig({ path, env });
  } catch (err) {
    if (isPtgwError(err)) return err;
    throw err;
  }
  throw new Error('expected the config to be refused');
}

describe('loading the config', () => {
  it('resolves a minimal config with defaults, relative paths and the production URLs', () => {
    const file = write(MINIMAL);
    const c = loadConfig({ path: file, env: {} });
    expect(c.protime).toMatchObject({ baseUrl: 'https://acme.myprotime.eu', authUrl: 'https://authentication.myprotime.eu', environment: 'production', useDelta: true });
    expect(c.protime.structureVersions).toEqual([{ id: 'b2347a7a-d60d-446f-b03b-7es2cc8c3281', levels: undefined }]);
    expect(c.protime.clientSecret.reveal()).toBe('s3cr3t-value');
    expect(c).toMatchObject({ sync: { intervalSeconds: 60, fullIntervalSeconds: 3600 }, cache: { path: '/var/lib/ptgw/cache.sqlite' }, http: { listen: { host: '127.0.0.1', port: 8080 }, adminToken: undefined }, noUsagePolicy: 'deny', devices: [], terminals: [] });
    expect(Object.isFrozen(c) && Object.isFrozen(c.protime) && Object.isFrozen(c.terminals)).toBe(true);
  });

  it('resolves the full commented example', () => {
    const c = loadConfig({ path: FULL, env: {} });
    expect(c.devices.map((d) => d.id)).toEqual(['kp1', 'gate2', 'scan1']);
    expect(c.devices[2]?.match).toEqual({ vendorId: 0x05e0, productId: 0x1200 });
    expect(c.terminals[0]).toMatchObject({ id: 'T7', levels: [1, 2, 3], timeoutSeconds: 15, language: 'nl', upstream: { externalCode: 'T7' } });
    expect(c.cache.path).toBe(join(FULL, '..', 'cache.sqlite'));
    expect(c.http.adminToken?.reveal()).toBe('the-admin-token');
  });

  it('points at a simulator or the sandbox when told to', () => {
    const sim = loadConfig({ path: write(MINIMAL.replace('tenant: acme', 'tenant: acme\n  baseUrl: http://127.0.0.1:18080/')), env: {} });
    expect(sim.protime).toMatchObject({ baseUrl: 'http://127.0.0.1:18080', authUrl: 'http://127.0.0.1:18080' });
    const sandbox = loadConfig({ path: write(MINIMAL.replace('tenant: acme', 'tenant: acme\n  environment: sandbox')), env: {} });
    expect(sandbox.protime).toMatchObject({ baseUrl: 'https://acme.myprotimesandbox.eu', authUrl: 'https://authentication.myprotimesandbox.eu' });
  });

  it('reports bad YAML with its line', () => {
    const err = failure(write(`${MINIMAL}sync: {intervalSeconds: [60}\n`));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('line 7');
  });

  it('reports an unknown key with its name and line', () => {
    const err = failure(write(MINIMAL.replace('  clientId: gw', '  clientId: gw\n  clientSecrte: x')));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('line 5');
    expect(err.message).toContain('protime.clientSecrte');
  });

  it('reports a wrong type with the key and line', () => {
    const err = failure(write(`${MINIMAL}sync: {intervalSeconds: often}\n`));
    expect(err.message).toContain('line 7');
    expect(err.message).toContain('sync.intervalSeconds');
  });

  it('reports a missing required key', () => {
    expect(failure(write(MINIMAL.replace('  clientId: gw\n', ''))).message).toContain('protime.clientId');
  });

  it('refuses an unknown time zone', () => {
    expect(failure(write(MINIMAL.replace('Europe/Brussels', 'Europe/Atlantis'))).message).toContain('site.timeZone');
  });

  it('checks terminals against devices and structure versions, and devices against each other', () => {
    const yaml = `${MINIMAL}devices:
  - {id: kp1, profile: generic-keypad, path: /dev/ttyUSB0}
  - {id: kp1, profile: generic-keypad, path: /dev/ttyUSB1, host: h, port: 1}
terminals:
  - {id: T7, devices: [kp9], structureVersion: other, levels: [2, 1], upstream: {externalCode: T7}}
`;
    const problems = checkConfig({ path: write(yaml), env: {} });
    const keys = problems.map((p) => `${p.line}:${p.key}`);
    expect(keys).toEqual(expect.arrayContaining(['9:devices[1].id', '9:devices[1]', '11:terminals[0].devices[0]', '11:terminals[0].structureVersion', '11:terminals[0].levels']));
  });

  it('lists several problems at once with their lines', () => {
    const problems = checkConfig({ path: write(`${MINIMAL}sync: {intervalSeconds: 1}\nlog: {level: loud}\nnoUsagePolicy: maybe\n`), env: {} });
    expect(problems.map((p) => p.line)).toEqual([7, 8, 9]);
    expect(checkConfig({ path: write(MINIMAL), env: {} })).toEqual([]);
  });

  describe('secrets', () => {
    it('refuses a missing or empty secret file, naming the key, never a value', () => {
      expect(failure(write(MINIMAL, null)).code).toBe('SECRET_MISSING');
      const empty = failure(write(MINIMAL, ''));
      expect(empty.code).toBe('SECRET_MISSING');
      expect(empty.message).toContain('protime.clientSecretFile');
    });

    it('takes systemd credentials, then the environment', () => {
      const file = write(MINIMAL.replace('  clientSecretFile: secret.txt\n', ''), null);
      const creds = tempDir();
      mkdirSync(creds, { recursive: true });
      writeFileSync(join(creds, 'client-secret'), 'from-credentials\n');
      expect(loadConfig({ path: file, env: { CREDENTIALS_DIRECTORY: creds } }).protime.clientSecret.reveal()).toBe('from-credentials');
      expect(loadConfig({ path: file, env: { PTGW_CLIENT_SECRET: 'from-env' } }).protime.clientSecret.reveal()).toBe('from-env');
      expect(failure(file).code).toBe('SECRET_MISSING');
    });

    it('never shows a secret in JSON, inspection or string form', () => {
      const c = loadConfig({ path: write(MINIMAL, 'top-secret-value'), env: {} });
      expect(JSON.stringify(c)).not.toContain('top-secret-value');
      expect(inspect(c, { depth: 10 })).not.toContain('top-secret-value');
      expect(`${c.protime.clientSecret}`).toBe('[redacted]');
    });
  });

  it('looks in ./ptgw.yaml when no path is given and /etc/ptgw has none', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secret.txt'), 'x');
    writeFileSync(join(dir, 'ptgw.yaml'), MINIMAL);
    expect(loadConfig({ cwd: dir, env: {} }).source).toBe(join(dir, 'ptgw.yaml'));
    const none = tempDir();
    try {
      loadConfig({ cwd: none, env: {} });
      throw new Error('expected CONFIG_NOT_FOUND');
    } catch (err) {
      expect(isPtgwError(err, 'CONFIG_NOT_FOUND')).toBe(true);
    }
  });
});
