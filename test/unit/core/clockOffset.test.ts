import { describe, expect, it } from 'vitest';
import { clockOffsetMs, describeClockOffset } from '../../../src/core/clockOffset.js';

describe('the clock offset from a Date header', () => {
  it('is local minus upstream, in ms', () => {
    const upstream = Date.parse('Wed, 02 Dec 2026 08:00:00 GMT');
    expect(clockOffsetMs('Wed, 02 Dec 2026 08:00:00 GMT', upstream - 185_000)).toBe(-185_000);
    expect(clockOffsetMs('Wed, 02 Dec 2026 08:00:00 GMT', upstream + 40_000)).toBe(40_000);
  });

  it('is unknown without a header or with one that is not a date', () => {
    expect(clockOffsetMs(undefined, 0)).toBeUndefined();
    expect(clockOffsetMs(['Wed, 02 Dec 2026 08:00:00 GMT'], 0)).toBeUndefined();
    expect(clockOffsetMs('yesterday-ish', 0)).toBeUndefined();
  });

  it('reads for a person as how far behind or ahead', () => {
    expect(describeClockOffset(-185_000)).toBe("3 min 5 s behind Protime's clock");
    expect(describeClockOffset(40_000)).toBe("40 s ahead of Protime's clock");
    expect(describeClockOffset(-(366 * 86_400_000 + 3_600_000))).toBe("366 d 1 h behind Protime's clock");
  });
});
