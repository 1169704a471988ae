import { describe, expect, it } from 'vitest';
import { configWarnings } from '../../../../src/app/config/configWarnings.js';
import { loadConfig } from '../../../../src/app/config/loadConfig.js';
import { MINIMAL, writeConfig } from './configFiles.js';

const warningsFor = (timeZone: string) => configWarnings(loadConfig({ path: writeConfig(MINIMAL.replace('Europe/Brussels', timeZone)), env: {} }));

describe('config warnings', () => {
  it('warn once, at its line, that Etc/GMT+1 is an hour behind UTC (POSIX inverts the sign) and suggest a region', () => {
    const warnings = warningsFor('Etc/GMT+1');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: 1, key: 'site.timeZone' });
    expect(warnings[0]?.message).toContain('UTC-01:00');
    expect(warnings[0]?.message).toContain('Europe/Brussels');
  });

  it('say which way Etc/GMT-N and two-digit offsets go, whatever the case of the name', () => {
    expect(warningsFor('Etc/GMT-2')[0]?.message).toContain('UTC+02:00');
    expect(warningsFor('etc/gmt+12')[0]?.message).toContain('UTC-12:00');
  });

  it('say nothing of a region name, UTC, or Etc/GMT without an offset', () => {
    for (const zone of ['Europe/Brussels', 'UTC', 'Etc/UTC', 'Etc/GMT', 'Etc/GMT+0', 'Etc/GMT-0']) expect(warningsFor(zone), zone).toEqual([]);
  });
});
