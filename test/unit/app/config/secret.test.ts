import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../../src/app/config/secret.js';

describe('Secret', () => {
  const secret = new Secret('p@ss');

  it('gives its value only through reveal()', () => {
    expect(secret.reveal()).toBe('p@ss');
  });

  it('shows [redacted] as a string, in JSON and when inspected', () => {
    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect(secret)).toBe('[redacted]');
    expect(inspect({ nested: { secret } }, { depth: null, showHidden: true })).not.toContain('p@ss');
    expect(format('%s %o %O', secret, secret, secret)).toBe('[redacted] [redacted] [redacted]');
  });

  it('has no enumerable property that holds the value', () => {
    expect(Object.values(secret)).toEqual([]);
    expect(JSON.stringify({ ...secret })).toBe('{}');
  });
});
