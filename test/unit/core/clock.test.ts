import { describe, expect, it } from 'vitest';
import { SiteCalendar } from '../../../src/core/clock.js';
import { formatDay } from '../../../src/core/day.js';
import { isPtgwError } from '../../../src/core/errors.js';
import { day } from '../../support/modelBuilder.js';

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

  it('gives wall-clock minutes on the day the clocks spring forward (02:00 → 03:00)', () => {
    const at = (iso: string) => brussels.localTime(Date.parse(iso));
    expect(at('2026-03-29T00:59:00Z')).toEqual({ day: day('2026-03-29'), minuteOfDay: 119 }); // 01:59 CET
    expect(at('2026-03-29T01:00:00Z')).toEqual({ day: day('2026-03-29'), minuteOfDay: 180 }); // 03:00 CEST
    expect(at('2026-03-29T01:30:00Z')).toEqual({ day: day('2026-03-29'), minuteOfDay: 210 }); // 03:30
  });

  it('answers instants in any order as the zone\'s own rules do, across the DST changes and minute edges (it remembers the last minute)', () => {
    // Each instant against the Intl API asked directly; consecutive calls often share a minute,
    // fall on either side of a minute edge by a millisecond, or straddle the spring and fall changes.
    const reference = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Brussels', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: 'numeric' });
    const expected = (ms: number): string => {
      const p = Object.fromEntries(reference.formatToParts(ms).map((x) => [x.type, x.value]));
      return `${p.year}-${p.month}-${p.day} ${Number(p.hour) * 60 + Number(p.minute)}`;
    };
    const calendar = new SiteCalendar('Europe/Brussels');
    const edges = ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-12-31T23:00:00Z'].map(Date.parse);
    let seed = 7;
    const random = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 3000; i++) {
      const edge = edges[Math.floor(i / 1000)] as number;
      const ms = edge + Math.round((random() - 0.5) * 4 * 60_000) + (i % 3 === 0 ? -1 : 0);
      const t = calendar.localTime(ms);
      expect(`${formatDay(t.day)} ${t.minuteOfDay}`, new Date(ms).toISOString()).toBe(expected(ms));
    }
  });

  it('gives 02:30 twice on the day the clocks fall back (03:00 → 02:00), as the wall clock shows it', () => {
    expect(brussels.localTime(Date.parse('2026-10-25T00:30:00Z'))).toEqual({ day: day('2026-10-25'), minuteOfDay: 150 }); // CEST
    expect(brussels.localTime(Date.parse('2026-10-25T01:30:00Z'))).toEqual({ day: day('2026-10-25'), minuteOfDay: 150 }); // CET
  });

  it('turns the day at local midnight in zones far from UTC', () => {
    const cases: [zone: string, lastMinute: string, date: string][] = [
      ['Pacific/Kiritimati', '2026-06-30T09:59:00Z', '2026-06-30'], // UTC+14
      ['Pacific/Pago_Pago', '2026-07-01T10:59:00Z', '2026-06-30'], // UTC-11
      ['Asia/Kathmandu', '2026-06-30T18:14:00Z', '2026-06-30'], // UTC+5:45
      ['Australia/Lord_Howe', '2026-01-15T12:59:00Z', '2026-01-15'], // UTC+11 in its summer
    ];
    for (const [zone, lastMinute, date] of cases) {
      const calendar = new SiteCalendar(zone);
      const t = Date.parse(lastMinute);
      expect(calendar.localTime(t), zone).toEqual({ day: day(date), minuteOfDay: 1439 });
      expect(calendar.localTime(t + 60_000), zone).toEqual({ day: day(date) + 1, minuteOfDay: 0 });
    }
  });

  it('follows Lord Howe Island\'s half-hour daylight saving time', () => {
    const lordHowe = new SiteCalendar('Australia/Lord_Howe');
    // 5 April 2026, 02:00 (+11) falls back to 01:30 (+10:30).
    expect(lordHowe.localTime(Date.parse('2026-04-04T14:59:00Z')).minuteOfDay).toBe(119);
    expect(lordHowe.localTime(Date.parse('2026-04-04T15:00:00Z')).minuteOfDay).toBe(90);
  });

  it('knows the leap day and the turn of the year', () => {
    expect(brussels.localTime(Date.parse('2028-02-28T23:00:00Z'))).toEqual({ day: day('2028-02-29'), minuteOfDay: 0 });
    expect(brussels.localTime(Date.parse('2028-02-29T23:00:00Z'))).toEqual({ day: day('2028-03-01'), minuteOfDay: 0 });
    expect(brussels.localTime(Date.parse('2026-12-31T22:59:59Z'))).toEqual({ day: day('2026-12-31'), minuteOfDay: 1439 });
    expect(brussels.localTime(Date.parse('2026-12-31T23:00:00Z'))).toEqual({ day: day('2027-01-01'), minuteOfDay: 0 });
  });

  it('reads today from the injected clock', () => {
    const clock = { now: () => Date.parse('2025-12-31T23:59:00Z') };
    expect(formatDay(brussels.today(clock))).toBe('2026-01-01');
    expect(formatDay(new SiteCalendar('America/New_York').today(clock))).toBe('2025-12-31');
  });

  it('stamps an instant with the site\'s wall-clock time and its offset, so the text is unambiguous', () => {
    // 22:05:12.900Z on 28 March 2026 is 23:05:12 in Brussels, still winter time (+01:00); the milliseconds are cut, not rounded.
    expect(brussels.stamp(Date.parse('2026-03-28T22:05:12.900Z'))).toEqual({ date: '2026-03-28', time: '23:05:12', offset: '+01:00' });
    // The next day is summer time (+02:00); the two 02:30s of the fall-back night differ by their offset.
    expect(brussels.stamp(Date.parse('2026-03-29T10:00:00Z')).offset).toBe('+02:00');
    expect(brussels.stamp(Date.parse('2026-10-25T00:30:00Z'))).toEqual({ date: '2026-10-25', time: '02:30:00', offset: '+02:00' });
    expect(brussels.stamp(Date.parse('2026-10-25T01:30:00Z'))).toEqual({ date: '2026-10-25', time: '02:30:00', offset: '+01:00' });
    expect(new SiteCalendar('UTC').stamp(Date.parse('2026-01-01T00:00:00Z'))).toEqual({ date: '2026-01-01', time: '00:00:00', offset: '+00:00' });
    expect(new SiteCalendar('America/St_Johns').stamp(Date.parse('2026-01-01T03:00:00Z'))).toEqual({ date: '2025-12-31', time: '23:30:00', offset: '-03:30' });
    expect(new SiteCalendar('Asia/Kathmandu').stamp(Date.parse('2026-06-30T18:15:00Z'))).toEqual({ date: '2026-07-01', time: '00:00:00', offset: '+05:45' });
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
