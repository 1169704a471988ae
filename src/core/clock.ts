import { PtgwError } from './errors.js';
import { dayFromCivil, formatDay, type Day } from './day.js';

/** The only way time enters the core: milliseconds since the Unix epoch. */
export interface Clock {
  now(): number;
}

export interface LocalTime {
  day: Day;
  /** Minutes since local midnight, 0..1439. */
  minuteOfDay: number;
}

/** An instant on the site's wall clock, to show to people: `2026-03-28`, `23:05:12`, `+01:00`. */
export interface LocalStamp {
  date: string;
  time: string;
  /** The zone's offset from UTC at that instant; it tells apart the two 02:30s of the fall-back night. */
  offset: string;
}

const CIVIL_FIELDS: Intl.DateTimeFormatOptions = { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' };

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Turns instants into the site's calendar: the day and the time of day on the wall clock of the
 * site's time zone (DST included). Uses the ECMAScript Intl API, which is part of the language.
 */
export class SiteCalendar {
  readonly timeZone: string;
  readonly #format: Intl.DateTimeFormat;
  /** With seconds, for `stamp`; kept apart so that the terminals' `localTime` formats no more than it needs. */
  readonly #stampFormat: Intl.DateTimeFormat;
  /** The last minute asked for: every frame at every terminal asks for the minute it arrived in, and formatToParts costs microseconds. */
  #lastMinute = NaN;
  #lastLocal: LocalTime = { day: 0, minuteOfDay: 0 };

  constructor(timeZone: string) {
    try {
      this.#format = new Intl.DateTimeFormat('en-US', { ...CIVIL_FIELDS, timeZone });
    } catch (cause) {
      throw new PtgwError('TIMEZONE_INVALID', `"${timeZone}" is not a known IANA time zone (e.g. Europe/Brussels).`, { cause, field: 'site.timeZone' });
    }
    this.timeZone = this.#format.resolvedOptions().timeZone;
    this.#stampFormat = new Intl.DateTimeFormat('en-US', { ...CIVIL_FIELDS, timeZone, second: 'numeric' });
  }

  localTime(epochMs: number): LocalTime {
    // Zones change their offset on a UTC minute boundary, by whole minutes (since the 1970s), so
    // one UTC minute is one minute of the site's wall clock.
    const minute = Math.floor(epochMs / 60_000);
    if (minute !== this.#lastMinute) {
      const t = civilParts(this.#format, epochMs);
      this.#lastLocal = Object.freeze({ day: dayFromCivil(t.year, t.month, t.day), minuteOfDay: t.hour * 60 + t.minute });
      this.#lastMinute = minute;
    }
    return this.#lastLocal;
  }

  stamp(epochMs: number): LocalStamp {
    const t = civilParts(this.#stampFormat, epochMs);
    // The offset is what the wall clock reads minus the instant, both to the second.
    const offsetMinutes = Math.round((Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - Math.floor(epochMs / 1000) * 1000) / 60_000);
    const abs = Math.abs(offsetMinutes);
    return {
      date: formatDay(dayFromCivil(t.year, t.month, t.day)),
      time: `${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}`,
      offset: `${offsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`,
    };
  }

  today(clock: Clock): Day {
    return this.localTime(clock.now()).day;
  }
}

function civilParts(format: Intl.DateTimeFormat, epochMs: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const t = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of format.formatToParts(epochMs)) {
    switch (part.type) {
      case 'year': t.year = Number(part.value); break;
      case 'month': t.month = Number(part.value); break;
      case 'day': t.day = Number(part.value); break;
      case 'hour': t.hour = Number(part.value); break;
      case 'minute': t.minute = Number(part.value); break;
      case 'second': t.second = Number(part.value); break;
      default: break;
    }
  }
  return t;
}
