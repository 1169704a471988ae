/**
 * Calendar days as integers: days since 1970-01-01 in the proleptic Gregorian calendar.
 * Protime dates are calendar dates in the site's zone, not instants, so no `Date` is involved:
 * comparing two days is comparing two small integers.
 */
export type Day = number;

/** Sentinels for open interval ends; they stay small integers (V8 SMIs) so arrays stay packed. */
export const OPEN_START: Day = -0x3fff_ffff;
export const OPEN_END: Day = 0x3fff_ffff;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days from 1970-01-01 to the given civil date (Howard Hinnant's days_from_civil). */
export function dayFromCivil(year: number, month: number, dayOfMonth: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + dayOfMonth - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDay(day: Day): { year: number; month: number; day: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses `YYYY-MM-DD` (a trailing `T…` time part, as some APIs send, is ignored). Undefined when invalid. */
export function parseDay(text: string): Day | undefined {
  const m = DATE_RE.exec(text.length > 10 && text[10] === 'T' ? text.slice(0, 10) : text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const dom = Number(m[3]);
  if (month < 1 || month > 12 || dom < 1 || dom > daysInMonth(year, month)) return undefined;
  return dayFromCivil(year, month, dom);
}

/** An absent or empty date is an open end. */
export function parseOptionalDay(text: string | null | undefined, openValue: Day): Day | undefined {
  if (text === undefined || text === null || text === '') return openValue;
  return parseDay(text);
}

export function formatDay(day: Day): string {
  const { year, month, day: d } = civilFromDay(day);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A clocking's time of day as Protime gets it: minutes since the start of its date, 1440 or more
 * for a dialog finished after midnight (on the badge's date). `24:05` is right but reads oddly, so
 * the wall-clock time and the day it fell on follow: `24:05 (00:05 next day)`.
 */
export function formatTimeOfDay(minutes: number): string {
  const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const days = Math.floor(minutes / 1440);
  if (days === 0) return hhmm(minutes);
  return `${hhmm(minutes)} (${hhmm(minutes - days * 1440)} ${days === 1 ? 'next day' : `${days} days later`})`;
}

/** Formats an interval end, giving undefined for an open end. */
export function formatOptionalDay(day: Day): string | undefined {
  return day === OPEN_START || day === OPEN_END ? undefined : formatDay(day);
}
