/**
 * Checks on what a terminal sends before it is looked up. Anything a keypad or scanner produces
 * arrives as a string; these never throw.
 */
export const MAX_CODE_LENGTH = 16;
export const MAX_BADGE_LENGTH = 64;

export type InputProblem = 'empty' | 'control' | 'too-long' | undefined;

// C0 and C1 control characters, DEL, and lone surrogates (what invalid UTF-8 decodes into, after U+FFFD).
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function inputProblem(value: string, maxLength: number): InputProblem {
  if (value.length === 0) return 'empty';
  if (CONTROL_RE.test(value)) return 'control';
  if (value.length > maxLength) return 'too-long';
  return undefined;
}

export interface NormaliseOptions {
  /** Profiles for scanners whose symbologies send lower case may ask for upper-casing. */
  upperCase?: boolean;
}

/** The profile normalisation of DESIGN.md: trim, optionally upper-case. Nothing else (leading zeros matter). */
export function normaliseCode(raw: string, options: NormaliseOptions = {}): string {
  const trimmed = raw.trim();
  return options.upperCase === true ? trimmed.toUpperCase() : trimmed;
}

/** Printable form of untrusted input for explanations: control characters shown as U+XXXX, cut short. */
export function printable(value: string, max = 24): string {
  let out = '';
  for (const ch of value) {
    if (out.length >= max) return `${out}…`;
    const cp = ch.codePointAt(0) as number;
    out += cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff) ? `\\u${cp.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}
