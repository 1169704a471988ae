import { describe, expect, it } from 'vitest';
import { inputProblem, normaliseCode, printable } from '../../../src/core/input.js';

describe('terminal input checks', () => {
  it('trims and optionally upper-cases, and nothing more', () => {
    expect(normaliseCode('  00026\t')).toBe('00026');
    expect(normaliseCode('ab12', { upperCase: true })).toBe('AB12');
    expect(normaliseCode('ab12')).toBe('ab12');
  });

  it('names the problem with a piece of input', () => {
    expect(inputProblem('', 16)).toBe('empty');
    expect(inputProblem('1\r', 16)).toBe('control');
    expect(inputProblem('\u0085', 16)).toBe('control');
    expect(inputProblem('x'.repeat(17), 16)).toBe('too-long');
    expect(inputProblem('x'.repeat(16), 16)).toBeUndefined();
    expect(inputProblem('Café', 16)).toBeUndefined();
    expect(inputProblem('😀', 16)).toBeUndefined();
  });

  it('prints untrusted input safely and briefly', () => {
    expect(printable('a\u001bb')).toBe('a\\u001bb');
    expect(printable('x'.repeat(100))).toHaveLength(25);
  });
});
