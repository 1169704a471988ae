import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig, loadConfig, type ConfigProblem } from '../../../../src/app/config/loadConfig.js';
import { FIXTURES, loadFailure, MINIMAL, SV, writeConfig } from './configFiles.js';

/** Loads `yaml`, expects CONFIG_INVALID, and returns the message for line/key assertions. */
function refused(yaml: string): { message: string; problems: readonly ConfigProblem[] } {
  const err = loadFailure({ path: writeConfig(yaml) });
  expect(err.code).toBe('CONFIG_INVALID');
  expect(err.problems.length).toBeGreaterThan(0);
  return err;
}

const DEVICES = `devices:
  - {id: kp1, profile: generic-keypad, path: /dev/ttyUSB0}
  - {id: kp2, profile: generic-keypad, path: /dev/ttyUSB1}
`;

/** A terminal on line 11 (after MINIMAL's 6 lines and DEVICES' 3), with `fields` merged in. */
function withTerminal(fields: string): string {
  return `${MINIMAL}${DEVICES}terminals:\n  - {id: T7, devices: [kp1], structureVersion: ${SV}, levels: [1, 2], upstream: {externalCode: T7}${fields}}\n`;
}

describe('an invalid config', () => {
  it('is CONFIG_INVALID on bad YAML syntax, with the line from the parser', () => {
    const err = refused(`${MINIMAL}sync: {intervalSeconds: [60}\n`);
    expect(err.message).toContain('config.yaml line 7');
  });

  it('is CONFIG_INVALID when a key is written twice', () => {
    const err = refused(`${MINIMAL}sync: {intervalSeconds: 60}\nsync: {intervalSeconds: 30}\n`);
    expect(err.message).toContain('line 8');
  });

  it('names an unknown key with its line and suggests the key that was probably meant', () => {
    const err = refused(MINIMAL.replace('  clientId: gw\n', '  clientId: gw\n  useDelat: false\n'));
    expect(err.message).toContain('config.yaml line 5: protime.useDelat');
    expect(err.problems[0]?.message).toContain('useDelta');
  });

  it('names an unknown top-level key with its line', () => {
    expect(refused(`${MINIMAL}\nterminal: []\n`).message).toContain('line 8: terminal:');
  });

  it('names the key, the line and the expected type of a wrong type', () => {
    const err = refused(`${MINIMAL}sync:\n  intervalSeconds: often\n`);
    expect(err.message).toContain('line 8: sync.intervalSeconds');
    expect(err.message).toContain('expected a number');
  });

  it('explains that a list of levels is expected when one number is given', () => {
    const err = refused(withTerminal('').replace('levels: [1, 2]', 'levels: 3'));
    expect(err.message).toContain('line 11: terminals[0].levels: expected a list of level numbers');
  });

  it('asks to quote an id that YAML read as a number', () => {
    const err = refused(withTerminal('').replace('externalCode: T7', 'externalCode: 007'));
    expect(err.message).toContain('terminals[0].upstream.externalCode');
    expect(err.message).toContain('quote');
  });

  it('names a missing required key and the section it belongs in', () => {
    const err = refused(MINIMAL.replace('  clientId: gw\n', ''));
    expect(err.message).toContain('line 2: protime.clientId: missing');
  });

  it('names a missing required section', () => {
    expect(refused(MINIMAL.replace('site: {timeZone: Europe/Brussels}\n', '')).message).toContain('site: missing');
  });

  it('refuses an empty file by naming what is missing', () => {
    const err = refused('');
    expect(err.problems.map((p) => p.key)).toEqual(['site', 'protime']);
  });

  it('refuses an unknown time zone under site.timeZone', () => {
    const err = refused(MINIMAL.replace('Europe/Brussels', 'Europe/Atlantis'));
    expect(err.message).toContain('line 1: site.timeZone');
    expect(err.message).toContain('Europe/Atlantis');
  });

  it('refuses an environment other than production or sandbox, and a base URL that is not http(s)', () => {
    const err = refused(MINIMAL.replace('  clientId: gw\n', '  clientId: gw\n  environment: staging\n  baseUrl: ftp://x\n'));
    expect(err.problems.map((p) => `${p.line}:${p.key}`)).toEqual(['5:protime.environment', '6:protime.baseUrl']);
  });

  it('refuses plain http to another machine, where the client secret and tokens would cross the network readable', () => {
    for (const [extra, key] of [
      ['  baseUrl: http://protime-proxy.plant.local:8080\n', 'protime.baseUrl'],
      ['  baseUrl: https://protime-proxy.plant.local\n  authUrl: http://10.0.0.5/\n', 'protime.authUrl'],
    ] as const) {
      const err = refused(MINIMAL.replace('  clientId: gw\n', `  clientId: gw\n${extra}`));
      expect(err.problems.map((p) => p.key)).toEqual([key]);
      expect(err.problems[0]?.message).toContain('https://');
    }
    // This machine (a simulator beside the gateway) may be spoken to in plain http.
    for (const url of ['http://127.0.0.1:18080', 'http://localhost:18080', 'http://[::1]:18080']) {
      expect(checkConfig({ path: writeConfig(MINIMAL.replace('  clientId: gw\n', `  clientId: gw\n  baseUrl: ${url}\n`)) })).toEqual([]);
    }
  });

  it('asks to quote a structure version id that YAML read as a number', () => {
    const err = refused(MINIMAL.replace(`[${SV}]`, '[12345]'));
    expect(err.message).toContain('line 6: protime.structureVersions[0]');
    expect(err.message).toContain('quote');
  });

  it('refuses a user agent that cannot be sent as one HTTP header line', () => {
    const err = refused(MINIMAL.replace('  clientId: gw\n', '  clientId: gw\n  userAgent: "ptgw/1.0\\r\\nX-Injected: 1"\n'));
    expect(err.message).toContain('line 5: protime.userAgent');
  });

  it('refuses a page size of zero', () => {
  });

  it('refuses an empty list of structure versions', () => {
    expect(refused(MINIMAL.replace(`[${SV}]`, '[]')).message).toContain('line 6: protime.structureVersions');
  });

  it('refuses a listen address without a port, or an IPv6 address without brackets', () => {
    expect(refused(`${MINIMAL}http: {listen: 127.0.0.1}\n`).message).toContain('line 7: http.listen');
    expect(refused(`${MINIMAL}http: {listen: '::1:8080'}\n`).message).toContain('line 7: http.listen');
  });

  it('refuses a sync interval under 5 seconds', () => {
    expect(refused(`${MINIMAL}sync: {intervalSeconds: 1}\n`).message).toContain('line 7: sync.intervalSeconds: must be at least 5');
  });

  describe('devices', () => {
    it('refuses duplicate device ids, at the second one', () => {
      const err = refused(`${MINIMAL}${DEVICES.replace('id: kp2', 'id: kp1')}`);
      expect(err.message).toContain('line 9: devices[1].id');
    });

    it('refuses a device with both a path and a host', () => {
      const err = refused(`${MINIMAL}${DEVICES.replace('path: /dev/ttyUSB1', 'path: /dev/ttyUSB1, host: 192.0.2.1, port: 4001')}`);
      expect(err.message).toContain('line 9: devices[1]: give exactly one of');
    });

    it('refuses a device that says neither where nor how to reach it, or a host without a port', () => {
      expect(refused(`${MINIMAL}devices: [{id: kp1, profile: generic-keypad}]\n`).message).toContain('devices[0]: give exactly one of');
      expect(refused(`${MINIMAL}devices: [{id: kp1, profile: tcp-keypad, host: 192.0.2.1}]\n`).message).toContain('devices[0]: a TCP device needs both host and port');
    });

    it('refuses a USB id that is neither a number nor a 0x string', () => {
      const err = refused(`${MINIMAL}devices: [{id: s1, profile: hid-pos-scanner, match: {vendorId: zebra}}]\n`);
      expect(err.message).toContain('devices[0].match.vendorId: expected a USB id');
    });
  });

  describe('terminals', () => {
    it('refuses a terminal naming an unknown device', () => {
      const err = refused(withTerminal('').replace('devices: [kp1]', 'devices: [kp1, kp9]'));
      expect(err.message).toContain('line 11: terminals[0].devices[1]');
      expect(err.message).toContain('kp9');
    });

    it('refuses a terminal naming an unknown structure version', () => {
      const err = refused(withTerminal('').replace(`structureVersion: ${SV}`, 'structureVersion: other'));
      expect(err.message).toContain('line 11: terminals[0].structureVersion');
    });

    it('refuses levels that do not strictly increase', () => {
      expect(refused(withTerminal('').replace('levels: [1, 2]', 'levels: [2, 1]')).message).toContain('line 11: terminals[0].levels: levels must be strictly increasing');
      expect(refused(withTerminal('').replace('levels: [1, 2]', 'levels: [1, 1]')).message).toContain('terminals[0].levels');
    });

    it('refuses level 0 and levels deeper than the structure version has', () => {
      expect(refused(withTerminal('').replace('levels: [1, 2]', 'levels: [0, 1]')).message).toContain('terminals[0].levels[0]');
      const deep = withTerminal('').replace(`[${SV}]`, `[{id: ${SV}, levels: 2}]`).replace('levels: [1, 2]', 'levels: [1, 2, 3]');
      expect(refused(deep).message).toContain('terminals[0].levels[2]: level 3 is deeper than the 2 levels');
    });

    it('refuses a device bound to two terminals', () => {
      const yaml = `${withTerminal('')}  - {id: T8, devices: [kp2, kp1], structureVersion: ${SV}, levels: [1], upstream: {id: 8}}\n`;
      expect(refused(yaml).message).toContain('line 12: terminals[1].devices[1]: device "kp1" is already bound to terminal T7');
    });

    it('checks devices given as inputs like those given as devices, naming the key as written', () => {
      const yaml = `${withTerminal('')}  - {id: T8, inputs: [kp2, kp1, kp9], structureVersion: ${SV}, levels: [1], upstream: {id: 8}}\n`;
      const { message } = refused(yaml);
      expect(message).toContain('line 12: terminals[1].inputs[1]: device "kp1" is already bound to terminal T7');
      expect(message).toContain('line 12: terminals[1].inputs[2]: no device "kp9" is configured');
    });

    it('refuses a terminal that gives both devices and inputs, or neither', () => {
      expect(refused(withTerminal(', inputs: [kp2]')).message).toContain('line 11: terminals[0].inputs: inputs is another name for devices');
      expect(refused(withTerminal('').replace('devices: [kp1], ', '')).message).toContain('line 11: terminals[0].devices: missing (required)');
    });

    it('refuses duplicate terminal ids', () => {
      const yaml = `${withTerminal('')}  - {id: T7, devices: [kp2], structureVersion: ${SV}, levels: [1], upstream: {id: 8}}\n`;
      expect(refused(yaml).message).toContain('line 12: terminals[1].id');
    });

    it('refuses a terminal without an upstream reference', () => {
      expect(refused(withTerminal('').replace('upstream: {externalCode: T7}', 'upstream: {}')).message).toContain('terminals[0].upstream: give externalCode or id');
      expect(refused(withTerminal('').replace(', upstream: {externalCode: T7}', '')).message).toContain('terminals[0].upstream: missing');
    });

    it('refuses a timeout of zero', () => {
      expect(refused(withTerminal(', timeoutSeconds: 0')).message).toContain('terminals[0].timeoutSeconds');
    });
  });

  it('carries every problem on the error while the message shows the first few', () => {
    const yaml = `${MINIMAL}sync: {intervalSeconds: 1, fullIntervalSeconds: 1}\nnoUsagePolicy: maybe\nlog: {level: loud}\noutbox: {retentionDays: 0}\n`;
    const err = refused(yaml);
    expect(err.problems).toHaveLength(5);
    expect(err.message).toContain('and 2 more');
    expect(err.message).not.toContain('outbox');
  });
});

describe('checkConfig', () => {
  it('returns no problems for a valid config', () => {
    expect(checkConfig({ path: join(FIXTURES, 'full.yaml'), env: {} })).toEqual([]);
    expect(checkConfig({ path: join(FIXTURES, 'minimal.yaml'), env: {} })).toEqual([]);
  });

  it('returns several problems at once, each with its key and line, in file order', () => {
    const problems = checkConfig({ path: join(FIXTURES, 'several-problems.yaml'), env: {} });
    expect(problems.map((p) => `${p.line}:${p.key}`)).toEqual(['4:site.timeZone', '5:protime.clientId', '7:protime.clientld', '11:sync.intervalSeconds', '13:terminals[0].devices[0]']);
    for (const p of problems) expect(p.column).toBeGreaterThan(0);
  });

  it('reports problems of different sections together, without follow-up errors from the broken parts', () => {
    const yaml = `${MINIMAL}devices:
  - {id: kp1, profile: generic-keypad, path: /dev/ttyUSB0, colour: red}
terminals:
  - {id: T7, devices: [kp1], structureVersion: ${SV}, levels: [1, x], upstream: {id: 1}}
log: {level: loud}
`;
    const problems = checkConfig({ path: writeConfig(yaml), env: {} });
    // kp1 is broken, yet it is still a configured device: the terminal is not told it is unknown.
    expect(problems.map((p) => `${p.line}:${p.key}`)).toEqual(['8:devices[0].colour', '10:terminals[0].levels[1]', '11:log.level']);
  });

  it('reports only the syntax error when the YAML cannot be parsed', () => {
    const problems = checkConfig({ path: writeConfig('site: {timeZone: UTC\nprotime: [\n'), env: {} });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.key === '' && typeof p.line === 'number')).toBe(true);
  });

  it('throws CONFIG_NOT_FOUND when there is no file to check', () => {
    expect(() => checkConfig({ path: '/nonexistent/ptgw.yaml', env: {} })).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }));
  });
});

describe('a config value written as ${VAR}', () => {
  const NOTE = 'ptgw does not expand environment variables';

  it('that fails validation says ptgw does not expand environment variables, and where secrets go instead', () => {
    const [tenant] = checkConfig({ path: writeConfig(MINIMAL.replace('tenant: acme', 'tenant: ${TENANT}')), env: {} });
    expect(tenant).toMatchObject({ key: 'protime.tenant', line: 3 });
    expect(tenant?.message).toContain('expected the <tenant> of https://<tenant>.myprotime.eu');
    expect(tenant?.message).toContain(NOTE);
    expect(tenant?.message).toContain('$CREDENTIALS_DIRECTORY');
  });

  it('in a list or refused by a rule across sections gets the same note', () => {
    const yaml = withTerminal('').replace('devices: [kp1]', 'devices: ["${DEVICE}"]').replace(`structureVersion: ${SV}, levels`, 'structureVersion: "${SV}", levels');
    const problems = checkConfig({ path: writeConfig(yaml), env: {} });
    expect(problems.map((p) => p.key)).toEqual(['terminals[0].devices[0]', 'terminals[0].structureVersion']);
    for (const p of problems) expect(p.message).toContain(NOTE);
  });

  it('that names a secret file gets the note on its SECRET_MISSING', () => {
    const err = loadFailure({ path: writeConfig(MINIMAL.replace('clientSecretFile: secret.txt', 'clientSecretFile: ${CREDENTIALS_DIRECTORY}/secret.txt')) });
    expect(err.code).toBe('SECRET_MISSING');
    expect(err.problems[0]?.message).toContain(NOTE);
  });

  it('that is valid as written is taken as written, and problems of other values get no note', () => {
    const valid = MINIMAL.replace('clientId: gw', 'clientId: gw-${SITE}');
    expect(loadConfig({ path: writeConfig(valid), env: {} }).protime.clientId).toBe('gw-${SITE}');
    const [problem, ...rest] = checkConfig({ path: writeConfig(valid.replace('tenant: acme', 'tenant: acme.eu')), env: {} });
    expect(rest).toEqual([]);
    expect(problem?.key).toBe('protime.tenant');
    expect(problem?.message).not.toContain(NOTE);
  });
});
