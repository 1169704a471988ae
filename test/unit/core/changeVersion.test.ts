import { describe, expect, it } from 'vitest';
import { isOlderVersion } from '../../../src/core/changeVersion.js';

describe('changeVersion order', () => {
  it('compares versions of digits as numbers, whatever their length or leading zeros', () => {
    expect(isOlderVersion('9', '10')).toBe(true);
    expect(isOlderVersion('10', '9')).toBe(false);
    expect(isOlderVersion('10', '10')).toBe(false);
    expect(isOlderVersion('00000000000000000009', '10')).toBe(true);
    expect(isOlderVersion('0', '00')).toBe(false);
    expect(isOlderVersion('123456789012345678901234567890', '123456789012345678901234567891')).toBe(true);
  });

  it('compares any other version as text', () => {
    expect(isOlderVersion('AAAB', 'AAAC')).toBe(true);
    expect(isOlderVersion('b', 'a')).toBe(false);
    expect(isOlderVersion('9a', '10a')).toBe(false);
  });
});
