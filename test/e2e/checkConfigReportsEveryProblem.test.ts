import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();
const GOOD = `site: {timeZone: Europe/Brussels}
protime:
  tenant: acme
  clientId: gw
  clientSecretFile: secret
  structureVersions: [b2347a7a-d60d-446f-b03b-7es2cc8c3281]
devices:
  - {id: kp1, profile: generic-keypad, path: /dev/ttyUSB0}
terminals:
  - {id: T7, devices: [kp1], structureVersion: b2347a7a-d60d-446f-b03b-7es2cc8c3281, levels: [1, 2, 3], upstream: {externalCode: T7}}
`;

function configFile(yaml: string, secret = true): string {
  const dir = tempDir();
  if (secret) writeFileSync(join(dir, 'secret'), 'shh-do-not-print\n');
  writeFileSync(join(dir, 'config.yaml'), yaml);
  return join(dir, 'config.yaml');
}

describe('ptgw check-config', () => {
  it('accepts a good config', async () => {
    const r = await runCli(['check-config', '--config', configFile(GOOD)]);
    expect(r.stdout).toContain('config.yaml is valid');
    expect(r.code).toBe(0);
  });

  it('accepts Etc/GMT+1 with one warning that it is UTC-01:00, not Brussels, and still exits 0', async () => {
    const r = await runCli(['check-config', '--config', configFile(GOOD.replace('Europe/Brussels', 'Etc/GMT+1'))]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('config.yaml is valid');
    const warnings = r.stderr.split('\n').filter((line) => line !== '');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: config\.yaml line 1: site\.timeZone: .*UTC-01:00.*Europe\/Brussels/);
  });

  it('accepts the shipped example config as the systemd unit runs it: secrets from LoadCredential only', async () => {
    const example = fileURLToPath(new URL('../../systemd/config.example.yaml', import.meta.url));
    const credentials = tempDir();
    writeFileSync(join(credentials, 'client-secret'), 'shh-do-not-print\n');
    writeFileSync(join(credentials, 'admin-token'), 'also-secret\n');
    const r = await runCli(['check-config', '--config', example], { env: { CREDENTIALS_DIRECTORY: credentials, PTGW_CLIENT_SECRET: '' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const without = await runCli(['check-config', '--config', example], { env: { CREDENTIALS_DIRECTORY: '', PTGW_CLIENT_SECRET: '' } });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('clientSecretFile');
  });

  it('reports bad YAML, an unknown key, a wrong type and a missing secret file, each with its line', async () => {
    const yamlError = await runCli(['check-config', '--config', configFile(`${GOOD}sync: {intervalSeconds: [60}\n`)]);
    expect(yamlError.code).toBe(2);
    expect(yamlError.stderr).toContain('line 11');

    const broken = GOOD.replace('  clientId: gw', '  clientId: gw\n  clientSecrte: x').replace('levels: [1, 2, 3]', 'levels: lots') + 'sync: {intervalSeconds: often}\n';
    const r = await runCli(['check-config', '--config', configFile(broken)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 5: protime\.clientSecrte/);
    expect(r.stderr).toMatch(/line 11: terminals\[0\]\.levels/);
    expect(r.stderr).toMatch(/line 12: sync\.intervalSeconds/);

    const noSecret = await runCli(['check-config', '--config', configFile(GOOD, false)]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('clientSecretFile');
  });

  it('names the file it read when none is given: ./ptgw.yaml', async () => {
    const dir = dirname(configFile(GOOD));
    writeFileSync(join(dir, 'ptgw.yaml'), `${GOOD}sync: {intervalSeconds: often}\n`);
    const r = await runCli(['check-config'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ptgw\.yaml line 11: sync\.intervalSeconds/);
  });

  it('reports a device whose profile does not exist with its line and key, as ptgw run refuses it', async () => {
    const file = configFile(GOOD.replace('profile: generic-keypad', 'profile: no-such-model'));
    const r = await runCli(['check-config', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^config\.yaml line 8: devices\[0\]\.profile: .*unknown profile "no-such-model"/m);
    expect(r.stderr).not.toContain('shh-do-not-print');
    const run = await runCli(['run', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ptgw: The config .*config\.yaml has a problem: config\.yaml line 8: devices\[0\]\.profile: .*unknown profile "no-such-model"/);
  });

  it('reports a device that its profile cannot reach (a serial profile given host and port) with its line and key', async () => {
    const r = await runCli(['check-config', '--config', configFile(GOOD.replace('path: /dev/ttyUSB0', 'host: 192.0.2.20, port: 4001'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^config\.yaml line 8: devices\[0\]: .*needs a "path"/m);
  });

  it("takes a site's own profile from device-profiles/ beside the config, as the daemon does", async () => {
    const file = configFile(GOOD.replace('profile: generic-keypad', 'profile: site-keypad'));
    mkdirSync(join(dirname(file), 'device-profiles'));
    writeFileSync(join(dirname(file), 'device-profiles', 'site-keypad.json'), JSON.stringify({ id: 'site-keypad', description: 'the plant own keypad', transport: 'serial', input: { code: '^K(?<value>.+)$' } }));
    const r = await runCli(['check-config', '--config', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('reports two HID scanners that can match the same device, and accepts them told apart by serial number', async () => {
    const twoScanners = (a: string, b: string): string =>
      GOOD.replace('devices: [kp1]', 'devices: [kp1, scan1, scan2]').replace(
        '  - {id: kp1, profile: generic-keypad, path: /dev/ttyUSB0}',
        `  - {id: kp1, profile: generic-keypad, path: /dev/ttyUSB0}\n  - {id: scan1, profile: keyboard-wedge-us, match: {vendorId: 0x05e0, productId: 0x1200${a}}}\n  - {id: scan2, profile: keyboard-wedge-us, match: {vendorId: 0x05e0, productId: 0x1200${b}}}`,
      );
    const same = await runCli(['check-config', '--config', configFile(twoScanners('', ''))]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/^config\.yaml line 10: devices\[2\]\.match: .*scan1 and scan2 can both match the same HID device/m);
    const oneNamed = await runCli(['check-config', '--config', configFile(twoScanners(', serialNumber: S1', ''))]);
    expect(oneNamed.code).toBe(2);
    const apart = await runCli(['check-config', '--config', configFile(twoScanners(', serialNumber: S1', ', serialNumber: S2'))]);
    expect(apart.stderr).toBe('');
    expect(apart.code).toBe(0);
  });
});
