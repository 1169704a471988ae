import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkConfig, formatProblem, loadConfig } from '../../../../src/app/config/loadConfig.js';
import { loadFailure, MINIMAL, tempDir, writeConfig } from './configFiles.js';

const PASSWORD = 'Pr0xy-Pa55word-of-the-plant';

/** MINIMAL with `lines` added to its protime section, from line 7. */
function protimeKeys(lines: string): string {
  return `${MINIMAL}${lines}`;
}

describe('protime.proxy', () => {
  it('is off when not given', () => {
    expect(loadConfig({ path: writeConfig(MINIMAL), env: {} }).protime.proxy).toBeUndefined();
  });

  it('takes an http or https proxy, without a user, as scheme, host and port', () => {
    for (const url of ['http://proxy.plant.local:3128', 'https://proxy.plant.local:8443/']) {
      const config = loadConfig({ path: writeConfig(protimeKeys(`  proxy: ${url}\n`)), env: {} });
      expect(config.protime.proxy).toEqual({ url: url.replace(/\/$/, ''), user: undefined, password: undefined });
    }
  });

  it('takes a user in the URL with its password from protime.proxyPasswordFile, and shows neither in the URL', () => {
    const file = writeConfig(protimeKeys('  proxy: http://gw%40plant@proxy.plant.local:3128\n  proxyPasswordFile: proxy-password\n'));
    writeFileSync(join(file, '..', 'proxy-password'), `${PASSWORD}\n`);
    const proxy = loadConfig({ path: file, env: {} }).protime.proxy;
    expect(proxy?.url).toBe('http://proxy.plant.local:3128');
    expect(proxy?.user).toBe('gw@plant');
    expect(proxy?.password?.reveal()).toBe(PASSWORD);
    expect(format('%o %j', proxy, proxy)).not.toContain(PASSWORD);
  });

  it('takes the password from $CREDENTIALS_DIRECTORY/proxy-password or PTGW_PROXY_PASSWORD', () => {
    const path = writeConfig(protimeKeys('  proxy: http://gw@proxy.plant.local:3128\n'));
    const creds = tempDir();
    writeFileSync(join(creds, 'proxy-password'), PASSWORD);
    expect(loadConfig({ path, env: { CREDENTIALS_DIRECTORY: creds } }).protime.proxy?.password?.reveal()).toBe(PASSWORD);
    expect(loadConfig({ path, env: { PTGW_PROXY_PASSWORD: PASSWORD } }).protime.proxy?.password?.reveal()).toBe(PASSWORD);
  });

  it('is SECRET_MISSING when the URL names a user and no password is found, naming where it may come from', () => {
    const err = loadFailure({ path: writeConfig(protimeKeys('  proxy: http://gw@proxy.plant.local:3128\n')) });
    expect(err.code).toBe('SECRET_MISSING');
    expect(err.message).toContain('protime.proxyPasswordFile');
    expect(err.message).toContain('PTGW_PROXY_PASSWORD');
  });

  it('refuses a password written in the URL, naming the key and line, without repeating the password', () => {
    const file = writeConfig(protimeKeys(`  proxy: http://gw:${PASSWORD}@proxy.plant.local:3128\n`));
    const err = loadFailure({ path: file });
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain('config.yaml line 7: protime.proxy: the password is not written in the config');
    const listed = checkConfig({ path: file, env: {} }).map((p) => formatProblem('config.yaml', p)).join('\n');
    expect(listed).toContain('protime.proxyPasswordFile');
    expect(`${err.message} ${listed}`).not.toContain(PASSWORD);
  });

  it('refuses another scheme, a path or no URL at all, naming the key and line', () => {
    for (const bad of ['socks5://proxy.plant.local:1080', 'http://proxy.plant.local:3128/path', 'proxy.plant.local:3128', '3128']) {
      const err = loadFailure({ path: writeConfig(protimeKeys(`  proxy: ${bad}\n`)) });
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toContain('config.yaml line 7: protime.proxy: expected');
    }
  });

  it('refuses a proxy password file without a user in the URL, at that key', () => {
    for (const proxy of ['  proxy: http://proxy.plant.local:3128\n', '']) {
      const err = loadFailure({ path: writeConfig(protimeKeys(`${proxy}  proxyPasswordFile: proxy-password\n`)) });
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toContain(`line ${proxy === '' ? 7 : 8}: protime.proxyPasswordFile: a proxy password needs the user in protime.proxy`);
    }
  });

  it('tells someone who wrote proxyPassword that secrets go in a file', () => {
    const err = loadFailure({ path: writeConfig(protimeKeys(`  proxyPassword: ${PASSWORD}\n`)) });
    expect(err.message).toContain('protime.proxyPassword: unknown key; secrets are not written in the config: use proxyPasswordFile');
    expect(err.message).not.toContain(PASSWORD);
  });
});
