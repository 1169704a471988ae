import type { Config, ConfigProblem } from './configTypes.js';
import { locateConfigProblems } from './loadConfig.js';

/** `Etc/GMT+1`: the POSIX names of fixed offsets, whose sign is the opposite of the UTC offset's. */
const ETC_GMT = /^etc\/gmt([+-])(\d{1,2})$/i;

/**
 * What is valid but probably not what was meant, with its line: `ptgw check-config` prints these
 * after "is valid" (still exit 0), `ptgw run` logs them as warnings at start-up.
 */
export function configWarnings(config: Config): ConfigProblem[] {
  const warnings: { path: PropertyKey[]; message: string }[] = [];
  const gmt = ETC_GMT.exec(config.site.timeZone);
  if (gmt !== null && Number(gmt[2]) !== 0) {
    // Someone in Brussels reads Etc/GMT+1 as UTC+1 and gets UTC-1: every clocking two hours off in winter.
    const utc = `UTC${gmt[1] === '+' ? '-' : '+'}${(gmt[2] as string).padStart(2, '0')}:00`;
    warnings.push({
      path: ['site', 'timeZone'],
      message:
        `"${config.site.timeZone}" is ${utc}: POSIX inverts the sign of Etc/GMT zones (Etc/GMT+1 is an hour behind UTC, Etc/GMT-1 an hour ahead), ` +
        `and a fixed offset never changes for summer time; it is used as written, but to follow the site's wall clock name its region instead, e.g. Europe/Brussels`,
    });
  }
  return locateConfigProblems(config.source, warnings);
}
