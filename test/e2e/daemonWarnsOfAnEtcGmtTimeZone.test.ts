import { describe, expect, it } from 'vitest';
import { daemonProcess } from '../support/daemonProcess.js';
import { usePerTest } from '../support/perTest.js';

const startDaemon = usePerTest(daemonProcess);

/** The daemon's log lines about site.timeZone. */
function timeZoneWarnings(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.includes('site.timeZone'));
}

describe('ptgw run with site.timeZone Etc/GMT+1', () => {
  it('still starts, and warns once at start-up that the sign is inverted, suggesting a region name', async () => {
    const { daemon } = await startDaemon({ config: { site: { timeZone: 'Etc/GMT+1' } } });
    const warnings = timeZoneWarnings(daemon.stdout);
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] as string)).toMatchObject({ level: 40, key: 'site.timeZone' });
    expect(warnings[0]).toContain('UTC-01:00');
    expect(warnings[0]).toContain('Europe/Brussels');
  });

  it('says nothing about Europe/Brussels', async () => {
    const { daemon } = await startDaemon();
    expect(timeZoneWarnings(daemon.stdout)).toEqual([]);
  });
});
