import type { z } from 'zod';

/**
 * Phrases for zod's issues, written for an operator editing YAML rather than for a programmer
 * ("expected a number, got a string" instead of "Invalid input: expected number, received string").
 * Passed per parse (not via z.config) so other modules' schemas keep zod's defaults; messages set
 * on a schema itself win over these. Values are never echoed here: a misplaced secret pasted into
 * the file must not come back in an error.
 */

type RawIssue = Parameters<Extract<z.core.$ZodErrorMap, (...args: never[]) => unknown>>[0];

/** The keys a strict object accepts, by key path, noted while zod reports unknown keys (for "did you mean"). */
export type KnownKeys = Map<string, readonly string[]>;

export function configErrorMap(known: KnownKeys, keyOf: (path: readonly PropertyKey[]) => string): (issue: RawIssue) => string | undefined {
  return (issue) => {
    switch (issue.code) {
      case 'invalid_type':
        if (issue.input === undefined) return 'missing (required)';
        return `expected ${expected(issue.expected)}, got ${describe(issue.input)}${issue.expected === 'string' && typeof issue.input === 'number' ? ' (quote it to keep it as text)' : ''}`;
      case 'too_small':
        return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
      case 'too_big':
        return issue.origin === 'number' ? `must be at most ${String(issue.maximum)}` : `must have at most ${String(issue.maximum)} ${issue.origin === 'array' ? 'entries' : 'characters'}`;
      case 'invalid_value':
        return `expected one of ${issue.values.map(String).join(', ')}`;
      case 'invalid_format':
        return `is not a valid ${issue.format}`;
      case 'unrecognized_keys': {
        const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
        if (shape !== undefined) known.set(keyOf(issue.path ?? []), Object.keys(shape));
        return 'unknown key';
      }
      default:
        return undefined;
    }
  };
}

/** "unknown key", with the accepted key it most likely meant, or the list of accepted keys. */
export function unknownKeyMessage(key: string, accepted: readonly string[] | undefined): string {
  if (key === 'clientSecret' || key === 'adminToken' || key === 'proxyPassword') {
    return `unknown key; secrets are not written in the config: use ${key}File, $CREDENTIALS_DIRECTORY or the environment`;
  }
  if (accepted === undefined || accepted.length === 0) return 'unknown key';
  const guess = closest(key, accepted);
  return guess === undefined ? `unknown key (expected one of ${accepted.join(', ')})` : `unknown key (did you mean ${guess}?)`;
}

function expected(type: string): string {
  switch (type) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'boolean': return 'true or false';
    case 'array': return 'a list';
    case 'object': return 'a mapping (key: value)';
    default: return type;
  }
}

function describe(input: unknown): string {
  if (input === null) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'number') return Number.isInteger(input) ? 'a number' : 'a fraction';
  return `a ${typeof input}`;
}

function tooSmall(origin: string, minimum: number, inclusive: boolean): string {
  if (origin === 'string' && minimum <= 1) return 'must not be empty';
  if (origin === 'array') return minimum <= 1 ? 'must list at least one entry' : `must list at least ${minimum} entries`;
  return inclusive ? `must be at least ${minimum}` : `must be more than ${minimum}`;
}

/** The accepted key nearest to `key` (case ignored), when it is at most two edits away. */
function closest(key: string, accepted: readonly string[]): string | undefined {
  const scored = accepted.map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) })).filter((s) => s.d <= 2);
  scored.sort((a, b) => a.d - b.d);
  return scored[0]?.k;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
