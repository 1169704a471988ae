/**
 * HID keyboard usages (page 0x07) → characters, per layout, as [plain, shift, altGr].
 * A keyboard-wedge scanner "types" a barcode; the host must know which layout the scanner was set
 * up for, or `00026` from a US-layout scanner arrives as `àààé§` when read as Belgian AZERTY. Enter ends a scan.
 */
export type Keymap = ReadonlyMap<number, readonly [string, string, string?]>;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function build(entries: Record<number, readonly [string, string, string?]>, letters: string): Keymap {
  const map = new Map<number, readonly [string, string, string?]>();
  for (let i = 0; i < 26; i++) {
    const c = letters[i] as string;
    map.set(0x04 + i, [c, c.toUpperCase()]);
  }
  for (const [usage, chars] of Object.entries(entries)) map.set(Number(usage), chars);
  // Keypad keys type the same on every layout (Num Lock on, as scanners assume).
  const keypad: Record<number, string> = { 0x54: '/', 0x55: '*', 0x56: '-', 0x57: '+', 0x62: '0', 0x63: '.' };
  for (let d = 1; d <= 9; d++) keypad[0x58 + d] = String(d);
  for (const [usage, c] of Object.entries(keypad)) map.set(Number(usage), [c, c]);
  map.set(0x28, ['\n', '\n']);
  map.set(0x58, ['\n', '\n']);
  map.set(0x2b, ['\t', '\t']);
  map.set(0x2c, [' ', ' ']);
  return map;
}

export const US: Keymap = build(
  {
    0x1e: ['1', '!'], 0x1f: ['2', '@'], 0x20: ['3', '#'], 0x21: ['4', '$'], 0x22: ['5', '%'],
    0x23: ['6', '^'], 0x24: ['7', '&'], 0x25: ['8', '*'], 0x26: ['9', '('], 0x27: ['0', ')'],
    0x2d: ['-', '_'], 0x2e: ['=', '+'], 0x2f: ['[', '{'], 0x30: [']', '}'], 0x31: ['\\', '|'],
    0x33: [';', ':'], 0x34: ["'", '"'], 0x35: ['`', '~'], 0x36: [',', '<'], 0x37: ['.', '>'], 0x38: ['/', '?'],
  },
  LETTERS,
);

/** Belgian AZERTY: letters A/Q, Z/W and M moved; digits need Shift; AltGr gives @ # { } [ ] and friends. */
export const BE_AZERTY: Keymap = build(
  {
    0x1e: ['&', '1', '|'], 0x1f: ['é', '2', '@'], 0x20: ['"', '3', '#'], 0x21: ["'", '4'], 0x22: ['(', '5'],
    0x23: ['§', '6', '^'], 0x24: ['è', '7'], 0x25: ['!', '8'], 0x26: ['ç', '9', '{'], 0x27: ['à', '0', '}'],
    0x2d: [')', '°'], 0x2e: ['-', '_'], 0x2f: ['^', '¨', '['], 0x30: ['$', '*', ']'], 0x31: ['µ', '£', '`'],
    0x32: ['µ', '£', '`'], 0x33: ['m', 'M'], 0x34: ['ù', '%', '´'], 0x35: ['²', '³'], 0x36: [';', '.'],
    0x37: [':', '/'], 0x38: ['=', '+', '~'], 0x10: [',', '?'], 0x64: ['<', '>', '\\'],
  },
  'qbcdefghijkl,noparstuvzxyw',
);

export const KEYMAPS = { us: US, 'be-azerty': BE_AZERTY } as const;
