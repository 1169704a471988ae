import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_PATHS, loadConfig, Secret } from '../../../../src/app/config/loadConfig.js';
import { FIXTURES, loadFailure, MINIMAL, SECRET, SV, tempDir, writeConfig } from './configFiles.js';

describe('loadConfig', () => {
  it('resolves a minimal config to a frozen object with every default filled in', () => {
    const file = writeConfig(MINIMAL);
    const config = loadConfig({ path: file, env: {} });
    expect(config).toEqual({
      source: file,
      site: { timeZone: 'Europe/Brussels' },
      protime: {
        tenant: 'acme',
        environment: 'production',
        baseUrl: 'https://acme.myprotime.eu',
        authUrl: 'https://authentication.myprotime.eu',
        clientId: 'gw',
        clientSecret: expect.any(Secret),
        structureVersions: [{ id: SV, levels: undefined }],
        userAgent: undefined,
        useDelta: true,
        dataEntryCodes: undefined,
      },
      sync: { intervalSeconds: 60, fullIntervalSeconds: 3600 },
      cache: { path: '/var/lib/ptgw/cache.sqlite' },
      http: { listen: { host: '127.0.0.1', port: 8080 }, adminToken: undefined },
      devices: [],
      terminals: [],
      noUsagePolicy: 'deny',
      outbox: { retentionDays: 30, retryMaxSeconds: 60 },
      log: { level: 'info' },
    });
    expect(config.protime.clientSecret.reveal()).toBe(SECRET);
    for (const part of [config, config.protime, config.protime.structureVersions, config.protime.structureVersions[0], config.http.listen, config.devices, config.terminals]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
  });

  it('refuses to let anyone change the loaded config', () => {
    const config = loadConfig({ path: writeConfig(MINIMAL), env: {} });
    expect(() => {
      (config.sync as { intervalSeconds: number }).intervalSeconds = 1;
    }).toThrow(TypeError);
  });

  it('resolves the full DESIGN.md example with its secrets read from files', () => {
    const file = join(FIXTURES, 'full.yaml');
    const config = loadConfig({ path: file, env: {} });
    expect(config).toEqual({
      source: file,
      site: { timeZone: 'Europe/Brussels' },
      protime: {
        tenant: 'acme',
        environment: 'production',
        baseUrl: 'https://acme.myprotime.eu',
        authUrl: 'https://authentication.myprotime.eu',
        clientId: 'gw',
        clientSecret: expect.any(Secret),
        structureVersions: [{ id: SV, levels: undefined }],
        userAgent: undefined,
        useDelta: true,
        dataEntryCodes: undefined,
      },
      sync: { intervalSeconds: 60, fullIntervalSeconds: 3600 },
      cache: { path: '/var/lib/ptgw/cache.sqlite' },
      http: { listen: { host: '127.0.0.1', port: 8080 }, adminToken: expect.any(Secret) },
      devices: [
        { id: 'kp1', profile: 'generic-keypad', path: '/dev/serial/by-id/usb-FTDI_FT232R_A50285BI-if00-port0' },
        { id: 'gate2', profile: 'tcp-keypad', host: '192.0.2.20', port: 4001 },
        { id: 'scan1', profile: 'hid-pos-scanner', match: { vendorId: 0x05e0, productId: 0x1200 } },
      ],
      terminals: [{ id: 'T7', devices: ['kp1', 'scan1'], structureVersion: SV, levels: [1, 2, 3], timeoutSeconds: 15, upstream: { externalCode: 'T7' } }],
      noUsagePolicy: 'deny',
      outbox: { retentionDays: 30, retryMaxSeconds: 60 },
      log: { level: 'info' },
    });
    expect(config.protime.clientSecret.reveal()).toBe('the-client-secret');
    expect(config.http.adminToken?.reveal()).toBe('the-admin-token');
    expect(Object.isFrozen(config.terminals[0]?.upstream)).toBe(true);
  });

  it.each([
    ['production by default', '', 'https://acme.myprotime.eu', 'https://authentication.myprotime.eu'],
    ['the sandbox', '  environment: sandbox\n', 'https://acme.myprotimesandbox.eu', 'https://authentication.myprotimesandbox.eu'],
    ['a simulator, whose auth URL follows the base URL', '  baseUrl: http://127.0.0.1:18080/\n', 'http://127.0.0.1:18080', 'http://127.0.0.1:18080'],
    ['a simulator with its own auth URL', '  baseUrl: http://127.0.0.1:18080\n  authUrl: http://127.0.0.1:18081//\n', 'http://127.0.0.1:18080', 'http://127.0.0.1:18081'],
    ['the sandbox behind a proxy', '  environment: sandbox\n  baseUrl: https://proxy.example/protime/\n', 'https://proxy.example/protime', 'https://proxy.example/protime'],
  ])('derives the base and auth URLs for %s', (_what, extra, baseUrl, authUrl) => {
    const config = loadConfig({ path: writeConfig(MINIMAL.replace('  clientId: gw\n', `  clientId: gw\n${extra}`)), env: {} });
    expect(config.protime).toMatchObject({ baseUrl, authUrl });
  });

  it('resolves the simulator fixture: relative cache path, bracketed IPv6 listen address, structure version levels', () => {
    const config = loadConfig({ path: join(FIXTURES, 'simulator.yaml'), env: {} });
    expect(config.protime).toMatchObject({ tenant: 'demo', baseUrl: 'http://127.0.0.1:18080', authUrl: 'http://127.0.0.1:18080', structureVersions: [{ id: 'sv-demo', levels: 3 }] });
    expect(config.cache.path).toBe(join(FIXTURES, 'cache.sqlite'));
    expect(config.http.listen).toEqual({ host: '::1', port: 0 });
  });

  it('resolves relative paths against the config file, not the working directory', () => {
    const file = writeConfig(`${MINIMAL}cache: {path: data/cache.sqlite}\n`);
    const config = loadConfig({ path: file, env: {}, cwd: tempDir() });
    expect(config.cache.path).toBe(join(file, '..', 'data', 'cache.sqlite'));
  });

  it('accepts structure versions as bare ids or {id, levels}, without checking GUID syntax', () => {
    const yaml = MINIMAL.replace(`[${SV}]`, `\n    - ${SV}\n    - {id: not-a-guid, levels: 4}`);
    expect(loadConfig({ path: writeConfig(yaml), env: {} }).protime.structureVersions).toEqual([
      { id: SV, levels: undefined },
      { id: 'not-a-guid', levels: 4 },
    ]);
  });

  it('accepts USB ids as numbers or as "0x" strings and turns them into numbers', () => {
    const yaml = `${MINIMAL}devices:\n  - {id: s1, profile: hid-pos-scanner, match: {vendorId: "0x05E0", productId: 4608, serialNumber: "A1"}}\n`;
    expect(loadConfig({ path: writeConfig(yaml), env: {} }).devices[0]?.match).toEqual({ vendorId: 0x05e0, productId: 0x1200, serialNumber: 'A1' });
  });

  it('keeps optional terminal settings and allows sub-second timeouts', () => {
    const yaml = `${MINIMAL}devices: [{id: kp1, profile: generic-keypad, path: /dev/ttyUSB0}]
terminals: [{id: T1, devices: [kp1], structureVersion: ${SV}, levels: [2, 3], timeoutSeconds: 0.5, language: nl, upstream: {id: 7}}]
`;
    expect(loadConfig({ path: writeConfig(yaml), env: {} }).terminals).toEqual([
      { id: 'T1', devices: ['kp1'], structureVersion: SV, levels: [2, 3], timeoutSeconds: 0.5, language: 'nl', upstream: { id: 7 } },
    ]);
  });

  it("takes inputs, the name in DESIGN.md's key list, for a terminal's devices", () => {
    const yaml = `${MINIMAL}devices: [{id: kp1, profile: generic-keypad, path: /dev/ttyUSB0}]
terminals: [{id: T1, inputs: [kp1], structureVersion: ${SV}, levels: [1], upstream: {id: 7}}]
`;
    expect(loadConfig({ path: writeConfig(yaml), env: {} }).terminals[0]?.devices).toEqual(['kp1']);
  });

  it('reads the other settings as written', () => {
    const yaml = `${MINIMAL}  useDelta: false
  userAgent: ptgw/1.0 (Acme NV)
sync: {intervalSeconds: 5, fullIntervalSeconds: 600}
noUsagePolicy: allow
outbox: {retentionDays: 7}
log: {level: debug}
http: {listen: 'localhost:9000'}
`;
    const config = loadConfig({ path: writeConfig(yaml), env: {} });
    expect(config).toMatchObject({ sync: { intervalSeconds: 5, fullIntervalSeconds: 600 }, noUsagePolicy: 'allow', outbox: { retentionDays: 7 }, log: { level: 'debug' }, http: { listen: { host: 'localhost', port: 9000 } } });
    expect(config.protime).toMatchObject({ useDelta: false, userAgent: 'ptgw/1.0 (Acme NV)' });
  });

  describe('without a path', () => {
    // The system-wide place is replaced by one that cannot exist, so the machine's own /etc does not matter.
    const searchPaths = ['/nonexistent-ptgw-test/etc/ptgw/config.yaml', './ptgw.yaml'];

    it('looks in /etc/ptgw/config.yaml first, then ./ptgw.yaml', () => {
      expect(DEFAULT_CONFIG_PATHS).toEqual(['/etc/ptgw/config.yaml', './ptgw.yaml']);
    });

    it('takes the system-wide file when both exist', () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'etc'));
      for (const file of [join(dir, 'etc', 'config.yaml'), join(dir, 'ptgw.yaml')]) writeFileSync(file, MINIMAL);
      writeFileSync(join(dir, 'etc', 'secret.txt'), 'x');
      writeFileSync(join(dir, 'secret.txt'), 'x');
      expect(loadConfig({ cwd: dir, env: {}, searchPaths: [join(dir, 'etc', 'config.yaml'), './ptgw.yaml'] }).source).toBe(join(dir, 'etc', 'config.yaml'));
    });

    it('falls back to ./ptgw.yaml in the working directory', () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'secret.txt'), 'x');
      writeFileSync(join(dir, 'ptgw.yaml'), MINIMAL);
      expect(loadConfig({ cwd: dir, env: {}, searchPaths }).source).toBe(join(dir, 'ptgw.yaml'));
    });

    it('reports CONFIG_NOT_FOUND naming both places tried', () => {
      const dir = tempDir();
      const err = loadFailure({ cwd: dir, searchPaths });
      expect(err.code).toBe('CONFIG_NOT_FOUND');
      expect(err.message).toContain('/nonexistent-ptgw-test/etc/ptgw/config.yaml');
      expect(err.message).toContain(join(dir, 'ptgw.yaml'));
    });
  });

  it('reports CONFIG_NOT_FOUND for a given path that does not exist, resolved against cwd', () => {
    const dir = tempDir();
    const err = loadFailure({ path: 'nope.yaml', cwd: dir });
    expect(err.code).toBe('CONFIG_NOT_FOUND');
    expect(err.message).toContain(join(dir, 'nope.yaml'));
  });

  it('reports a config path that is a folder as CONFIG_INVALID', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'config.yaml'));
    expect(loadFailure({ path: join(dir, 'config.yaml') }).code).toBe('CONFIG_INVALID');
  });
});
