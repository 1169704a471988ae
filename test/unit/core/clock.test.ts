import { describe, expect, it } from 'vitest';
import { SiteCalendar } from '../../../src/core/clock.js';
import { formatDay } from '../../../src/core/day.js';
import { isPtgwError } from '../../../src/core/errors.js';

describe('the site calendar', () => {
  const brussels = new SiteCalendar('Europe/Brussels');

  it('gives the local date, not the UTC one, just after local midnight', () => {
    // 2025-03-03T23:30Z is 00:30 on 2025-03-04 in Brussels (UTC+1).
    const t = brussels.localTime(Date.parse('2025-03-03T23:30:00Z'));
    expect(formatDay(t.day)).toBe('2025-03-04');
    expect(t.minuteOfDay).toBe(30);
  });

  it('follows daylight saving time', () => {
    // Summer: UTC+2. 2025-07-01T06:07Z is 08:07 local.
    expect(brussels.localTime(Date.parse('2025-07-01T06:07:00Z')).minuteOfDay).toBe(8 * 60 + 7);
    // Winter: UTC+1.
    expect(brussels.localTime(Date.parse('2025-01-15T06:07:00Z')).minuteOfDay).toBe(7 * 60 + 7);
  });

  it('reads today from the injected clock', () => {
    const clock = { now: () => Date.parse('2025-12-31T23:59:00Z') };
    expect(formatDay(brussels.today(clock))).toBe('2026-01-01');
    expect(formatDay(new SiteCalendar('America/New_York').today(clock))).toBe('2025-12-31');
  });

  it('refuses an unknown time zone with a clear error', () => {
    let caught: unknown;
    try {
      new SiteCalendar('Europe/Atlantis');
    } catch (err) {
      caught = err;
    }
    expect(isPtgwError(caught, 'TIMEZONE_INVALID')).toBe(true);
    expect((caught as Error).message).toContain('Europe/Atlantis');
  });
});
