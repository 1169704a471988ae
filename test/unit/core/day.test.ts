import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { civilFromDay, dayFromCivil, formatDay, formatOptionalDay, formatTimeOfDay, OPEN_END, parseDay, parseOptionalDay } from '../../../src/core/day.js';

describe('calendar days', () => {
  it('counts days from 1970-01-01', () => {
    expect(parseDay('1970-01-01')).toBe(0);
    expect(parseDay('1970-01-02')).toBe(1);
    expect(parseDay('1969-12-31')).toBe(-1);
    expect(parseDay('2025-01-01')).toBe(20089);
  });

  it('round-trips every day across four centuries, leap days included', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayFromCivil(1800, 1, 1), max: dayFromCivil(2400, 12, 31) }), (d) => {
        expect(parseDay(formatDay(d))).toBe(d);
      }),
    );
    expect(formatDay(dayFromCivil(2024, 2, 29))).toBe('2024-02-29');
    expect(civilFromDay(dayFromCivil(2000, 2, 29))).toEqual({ year: 2000, month: 2, day: 29 });
  });

  it('agrees with the JavaScript Date on UTC midnights', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString().slice(0, 10);
        expect(parseDay(iso)).toBe(Math.floor(date.getTime() / 86_400_000));
      }),
    );
  });

  it('rejects impossible or malformed dates', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '25-01-01', '2025/01/01', '', 'today', '2025-1-1']) {
      expect(parseDay(bad), bad).toBeUndefined();
    }
  });

  it('accepts a date with a time part, as some API answers send', () => {
    expect(parseDay('2025-03-04T00:00:00')).toBe(parseDay('2025-03-04'));
  });

  it('treats absent and empty ends as open', () => {
    expect(parseOptionalDay(undefined, OPEN_END)).toBe(OPEN_END);
    expect(parseOptionalDay(null, OPEN_END)).toBe(OPEN_END);
    expect(parseOptionalDay('', OPEN_END)).toBe(OPEN_END);
    expect(parseOptionalDay('2025-12-31', OPEN_END)).toBe(parseDay('2025-12-31'));
    expect(formatOptionalDay(OPEN_END)).toBeUndefined();
  });

  it('writes a time of day as sent to Protime, and says which day a time past midnight falls on', () => {
    expect(formatTimeOfDay(0)).toBe('00:00');
    expect(formatTimeOfDay(8 * 60 + 10)).toBe('08:10');
    expect(formatTimeOfDay(1439)).toBe('23:59');
    expect(formatTimeOfDay(1440 + 5)).toBe('24:05 (00:05 next day)');
    expect(formatTimeOfDay(2 * 1440 + 30)).toBe('48:30 (00:30 2 days later)');
  });
});
