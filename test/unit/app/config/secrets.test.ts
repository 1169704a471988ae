import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkConfig, loadConfig } from '../../../../src/app/config/loadConfig.js';
import { loadFailure, MINIMAL, SECRET, tempDir, writeConfig } from './configFiles.js';

const NO_SECRET_FILE = MINIMAL.replace('  clientSecretFile: secret.txt\n', '');

/** A $CREDENTIALS_DIRECTORY holding the given files. */
function credentials(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('the client secret', () => {
  it('comes from the configured file, relative to the config file, without its trailing newlines', () => {
    const config = loadConfig({ path: writeConfig(MINIMAL, `${SECRET}\r\n\n`), env: {}, cwd: tempDir() });
    expect(config.protime.clientSecret.reveal()).toBe(SECRET);
  });

  it('is SECRET_MISSING when the configured file does not exist, naming the key and the path', () => {
    const file = writeConfig(MINIMAL, null);
    const err = loadFailure({ path: file });
    expect(err.code).toBe('SECRET_MISSING');
    expect(err.message).toContain('line 5: protime.clientSecretFile');
    expect(err.message).toContain(join(file, '..', 'secret.txt'));
  });

  it('never repeats a value that names no file and looks like no path: the secret pasted in place of its file', () => {
    for (const pasted of ['Sup3rS3cretValue!', 'q8Zr/Xk2+Lm9Vt0=', 'abcDEF123xyz']) {
      const file = writeConfig(MINIMAL.replace('clientSecretFile: secret.txt', `clientSecretFile: "${pasted}"`), null);
      const err = loadFailure({ path: file });
      expect(err.code).toBe('SECRET_MISSING');
      expect(err.message).toContain('protime.clientSecretFile');
      expect(err.message).toContain(`looked for in ${join(file, '..')}`);
      expect(err.message).not.toContain(pasted);
    }
  });

  it('is SECRET_MISSING when the configured file is empty', () => {
    const err = loadFailure({ path: writeConfig(MINIMAL, '\n') });
    expect(err.code).toBe('SECRET_MISSING');
    expect(err.message).toContain('protime.clientSecretFile');
    expect(err.message).toContain('empty');
  });

  it('is SECRET_MISSING when the configured file cannot be read', () => {
    const file = writeConfig(MINIMAL, null);
    mkdirSync(join(file, '..', 'secret.txt'));
    expect(loadFailure({ path: file }).code).toBe('SECRET_MISSING');
  });

  it('does not fall back to the credentials or the environment when the configured file is missing', () => {
    const env = { CREDENTIALS_DIRECTORY: credentials({ 'client-secret': 'from-credentials' }), PTGW_CLIENT_SECRET: 'from-env' };
    expect(loadFailure({ path: writeConfig(MINIMAL, null), env }).code).toBe('SECRET_MISSING');
  });

  it('comes from $CREDENTIALS_DIRECTORY/client-secret when no file is configured, before the environment', () => {
    const env = { CREDENTIALS_DIRECTORY: credentials({ 'client-secret': 'from-credentials\n' }), PTGW_CLIENT_SECRET: 'from-env' };
    expect(loadConfig({ path: writeConfig(NO_SECRET_FILE, null), env }).protime.clientSecret.reveal()).toBe('from-credentials');
  });

  it('is SECRET_MISSING when the credential exists but is empty', () => {
    const env = { CREDENTIALS_DIRECTORY: credentials({ 'client-secret': '' }), PTGW_CLIENT_SECRET: 'from-env' };
    const err = loadFailure({ path: writeConfig(NO_SECRET_FILE, null), env });
    expect(err.code).toBe('SECRET_MISSING');
    expect(err.message).toContain('$CREDENTIALS_DIRECTORY/client-secret');
  });

  it('comes from PTGW_CLIENT_SECRET when there is neither a file nor a credential', () => {
    const env = { CREDENTIALS_DIRECTORY: credentials({}), PTGW_CLIENT_SECRET: 'from-env' };
    expect(loadConfig({ path: writeConfig(NO_SECRET_FILE, null), env }).protime.clientSecret.reveal()).toBe('from-env');
  });

  it('is SECRET_MISSING when it is nowhere, naming the three places', () => {
    const err = loadFailure({ path: writeConfig(NO_SECRET_FILE, null), env: { PTGW_CLIENT_SECRET: '' } });
    expect(err.code).toBe('SECRET_MISSING');
    expect(err.message).toContain('protime.clientSecretFile');
    expect(err.message).toContain('CREDENTIALS_DIRECTORY');
    expect(err.message).toContain('PTGW_CLIENT_SECRET');
  });

  it('is reported by checkConfig as a problem with the line of its key', () => {
    expect(checkConfig({ path: writeConfig(MINIMAL, null), env: {} })).toEqual([{ line: 5, column: 3, key: 'protime.clientSecretFile', message: expect.stringContaining('does not exist') }]);
  });

  it('does not hide the other problems: an invalid config with a missing secret is CONFIG_INVALID listing both', () => {
    const err = loadFailure({ path: writeConfig(`${MINIMAL}sync: {intervalSeconds: often}\n`, null) });
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.problems.map((p) => p.key)).toEqual(['protime.clientSecretFile', 'sync.intervalSeconds']);
  });
});

describe('the admin token', () => {
  it('is absent when nothing provides one, which turns the admin endpoints off', () => {
    expect(loadConfig({ path: writeConfig(MINIMAL), env: {} }).http.adminToken).toBeUndefined();
  });

  it('comes from http.adminTokenFile, then $CREDENTIALS_DIRECTORY/admin-token, then PTGW_ADMIN_TOKEN', () => {
    const file = writeConfig(`${MINIMAL}http: {adminTokenFile: token.txt}\n`);
    writeFileSync(join(file, '..', 'token.txt'), 'from-file\n');
    const env = { CREDENTIALS_DIRECTORY: credentials({ 'admin-token': 'from-credentials' }), PTGW_ADMIN_TOKEN: 'from-env' };
    expect(loadConfig({ path: file, env }).http.adminToken?.reveal()).toBe('from-file');
    expect(loadConfig({ path: writeConfig(MINIMAL), env }).http.adminToken?.reveal()).toBe('from-credentials');
    expect(loadConfig({ path: writeConfig(MINIMAL), env: { PTGW_ADMIN_TOKEN: 'from-env' } }).http.adminToken?.reveal()).toBe('from-env');
  });

  it('is SECRET_MISSING when its configured file is missing', () => {
    const err = loadFailure({ path: writeConfig(`${MINIMAL}http: {adminTokenFile: token.txt}\n`), env: { PTGW_ADMIN_TOKEN: 'from-env' } });
    expect(err.code).toBe('SECRET_MISSING');
    expect(err.message).toContain('line 7: http.adminTokenFile');
  });
});

describe('secrets never leak', () => {
  const TOKEN = 'Adm1n-T0ken-Value';

  it('stay out of JSON, util.inspect, string formatting and spreading of the loaded config', () => {
    const file = writeConfig(MINIMAL);
    const config = loadConfig({ path: file, env: { PTGW_ADMIN_TOKEN: TOKEN } });
    const views = [JSON.stringify(config), inspect(config, { depth: null, showHidden: true }), format('%s %o %O %j', config.protime.clientSecret, config, config, config), `${config.http.adminToken}`, JSON.stringify({ ...config.protime.clientSecret })];
    for (const view of views) {
      expect(view).not.toContain(SECRET);
      expect(view).not.toContain(TOKEN);
    }
    expect(String(config.protime.clientSecret)).toBe('[redacted]');
  });

  it('stay out of errors and problem lists, even when pasted into the config by mistake', () => {
    const yaml = MINIMAL.replace('  clientId: gw\n', `  clientId: gw\n  clientSecret: ${SECRET}\n`) + `http: {adminToken: ${TOKEN}, adminTokenFile: 7}\n`;
    const file = writeConfig(yaml);
    const err = loadFailure({ path: file, env: { PTGW_CLIENT_SECRET: SECRET, PTGW_ADMIN_TOKEN: TOKEN } });
    const problems = checkConfig({ path: file, env: { PTGW_CLIENT_SECRET: SECRET, PTGW_ADMIN_TOKEN: TOKEN } });
    expect(problems.map((p) => p.key)).toEqual(['protime.clientSecret', 'http.adminToken', 'http.adminTokenFile']);
    for (const text of [err.message, JSON.stringify(err.problems), JSON.stringify(problems), inspect(err)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(TOKEN);
    }
  });
});
