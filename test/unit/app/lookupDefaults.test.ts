import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/app/config/loadConfig.js';
import { lookupDefaults } from '../../../src/app/lookupDefaults.js';
import { MINIMAL, SV, writeConfig } from './config/configFiles.js';

const SV2 = 'c0ffee00-0000-4000-8000-0000000000b2';

describe('the defaults of a lookup', () => {
  it('walk the levels and language of the terminal on the structure version asked for, not of the first terminal', () => {
    const yaml = `${MINIMAL.replace(`structureVersions: [${SV}]`, `structureVersions: [${SV}, ${SV2}]`)}devices:
  - {id: kp1, profile: generic-keypad, path: /dev/ttyUSB0}
  - {id: kp2, profile: generic-keypad, path: /dev/ttyUSB1}
terminals:
  - {id: T1, devices: [kp1], structureVersion: ${SV}, levels: [1, 2, 3], language: nl, upstream: {externalCode: T1}}
  - {id: T2, devices: [kp2], structureVersion: ${SV2}, levels: [2], language: fr, upstream: {externalCode: T2}}
`;
    const config = loadConfig({ path: writeConfig(yaml, 'secret'), env: {} });
    expect(lookupDefaults(config, undefined)).toEqual({ structureVersion: SV, levels: [1, 2, 3], language: 'nl' });
    expect(lookupDefaults(config, SV2)).toEqual({ structureVersion: SV2, levels: [2], language: 'fr' });
  });

  it('walk every level typed on a configured structure version no terminal uses', () => {
    const yaml = MINIMAL.replace(`structureVersions: [${SV}]`, `structureVersions: [${SV}, ${SV2}]`);
    const config = loadConfig({ path: writeConfig(yaml, 'secret'), env: {} });
    expect(lookupDefaults(config, SV2)).toEqual({ structureVersion: SV2, levels: undefined, language: undefined });
  });

  it('refuse a structure version that is not configured, naming the field', () => {
    const config = loadConfig({ path: writeConfig(MINIMAL, 'secret'), env: {} });
    expect(() => lookupDefaults(config, 'no-such-version')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'structureVersion' }));
  });
});
