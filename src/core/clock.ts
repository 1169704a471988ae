import { PtgwError } from './errors.js';
import { dayFromCivil, type Day } from './day.js';

/** The only way time enters the core: milliseconds since the Unix epoch. */
export interface Clock {
  now(): number;
}

export interface LocalTime {
  day: Day;
  /** Minutes since local midnight, 0..1439. */
  minuteOfDay: number;
}

/**
 * Turns instants into the site's calendar: the day and the time of day on the wall clock of the
 * site's time zone (DST included). Uses the ECMAScript Intl API, which is part of the language.
 */
export class SiteCalendar {
  readonly timeZone: string;
  readonly #format: Intl.DateTimeFormat;

  constructor(timeZone: string) {
    try {
      this.#format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch (cause) {
      throw new PtgwError('TIMEZONE_INVALID', `"${timeZone}" is not a known IANA time zone (e.g. Europe/Brussels).`, { cause, field: 'site.timeZone' });
    }
    this.timeZone = this.#format.resolvedOptions().timeZone;
  }

  localTime(epochMs: number): LocalTime {
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    for (const part of this.#format.formatToParts(epochMs)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        default: break;
      }
    }
    return { day: dayFromCivil(year, month, day), minuteOfDay: hour * 60 + minute };
  }

  today(clock: Clock): Day {
    return this.localTime(clock.now()).day;
  }
}
