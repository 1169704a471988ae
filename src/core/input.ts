/**
 * Checks on what a terminal sends before it is looked up. Anything a keypad or scanner produces
 * arrives as a string; these never throw.
 */
export const MAX_CODE_LENGTH = 16;
export const MAX_BADGE_LENGTH = 64;

export type InputProblem = 'empty' | 'control' | 'too-long' | undefined;

/**
 * C0 and C1 control characters, DEL, U+FFFD (what invalid UTF-8 decodes into) and lone surrogates.
 * A plain loop: this runs on every keypress-worth of input, where a regular expression costs more.
 */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

export function inputProblem(value: string, maxLength: number): InputProblem {
  if (value.length === 0) return 'empty';
  if (value.length > maxLength * 4) return 'too-long';
  if (hasControl(value)) return 'control';
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
