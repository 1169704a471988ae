import { describe, expect, it } from 'vitest';
import { RepeatedFailures } from '../../../src/core/repeatedFailures.js';

const HOUR = 3_600_000;

describe('repeated failures', () => {
  it('logs the first of a kind, then one an interval with the number left out', () => {
    const f = new RepeatedFailures(HOUR);
    expect(f.note('port gone', 0)).toEqual({ log: true, first: true, omitted: 0 });
    for (let t = 30_000; t < HOUR; t += 30_000) expect(f.note('port gone', t).log).toBe(false);
    expect(f.note('port gone', HOUR)).toEqual({ log: true, first: false, omitted: 119 });
    expect(f.count).toBe(121);
  });

  it('logs each different failure the first time, even when they alternate', () => {
    const f = new RepeatedFailures(HOUR);
    expect([f.note('refused', 0).log, f.note('timed out', 1).log, f.note('refused', 2).log, f.note('timed out', 3).log]).toEqual([true, true, false, false]);
  });

  it('bounds what it remembers when every message differs', () => {
    const f = new RepeatedFailures(HOUR);
    const logged = Array.from({ length: 1000 }, (_, i) => f.note(`failure ${i}`, i).log).filter(Boolean);
    expect(logged.length).toBe(21);
  });

  it('logs again at once when the clock was set back', () => {
    const f = new RepeatedFailures(HOUR);
    f.note('port gone', 10 * HOUR);
    expect(f.note('port gone', 9 * HOUR).log).toBe(true);
  });

  it('starts afresh once the run is over', () => {
    const f = new RepeatedFailures(HOUR);
    f.note('port gone', 0);
    f.note('port gone', 1);
    expect(f.end()).toBe(2);
    expect(f.count).toBe(0);
    expect(f.note('port gone', 2)).toEqual({ log: true, first: true, omitted: 0 });
  });
});
