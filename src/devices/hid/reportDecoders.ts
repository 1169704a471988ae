import type { Keymap } from './keymaps.js';

/** Turns raw HID input reports into the text a scanner meant, ready for the frame decoder. */
export interface ReportDecoder {
  decode(report: Buffer): string;
}

const SHIFT = 0x02 | 0x20;
const ALT_GR = 0x40;

/**
 * Boot-protocol keyboard reports: [modifiers, reserved, key1..key6]. A key counts when it appears
 * in a report and was not down in the previous one, so held keys and key-up reports type nothing,
 * and a repeated character (`00`) works because the scanner releases the key in between.
 */
export class KeyboardWedgeDecoder implements ReportDecoder {
  #down = new Set<number>();

  constructor(private readonly keymap: Keymap) {}

  decode(report: Buffer): string {
    // Some stacks prefix a report id; a boot report is exactly 8 bytes.
    const r = report.length === 9 ? report.subarray(1) : report;
    if (r.length < 3) return '';
    const modifiers = r[0] as number;
    const now = new Set<number>();
    let text = '';
    for (let i = 2; i < r.length; i++) {
      const usage = r[i] as number;
      // 0 = no key, 1 = rollover error: neither is a key press.
      if (usage <= 1) continue;
      now.add(usage);
      if (this.#down.has(usage)) continue;
      // Modifier keys sent as usages (0xE0–0xE7) type nothing; their state is in the first byte.
      if (usage >= 0xe0) continue;
      const chars = this.keymap.get(usage);
      const ch = chars === undefined ? undefined : (modifiers & ALT_GR) !== 0 ? chars[2] : (modifiers & SHIFT) !== 0 ? chars[1] : chars[0];
      // A key the layout lacks, or one with no character on it, becomes a byte the framer refuses:
      // the frame is dropped and counted, never read with a character missing.
      text += ch ?? '\u00ff';
    }
    this.#down = now;
    return text;
  }
}

/**
 * HID POS (usage page 0x8C) scanned-data reports as Honeywell and Zebra send them, 64 bytes:
 * [report id 0x02, length, AIM id (3 bytes), data (up to 56 bytes), …, continuation flag in the last byte].
 * The length counts the data only, not the AIM id before it; a scan longer than one report continues in the next.
 */
export class HidPosDecoder implements ReportDecoder {
  /** Continuation reports repeat the AIM id, which must not land in the middle of the data. */
  #continuing = false;

  decode(report: Buffer): string {
    if (report.length < 5 || report[0] !== 0x02) return '';
    const end = Math.min(5 + (report[1] as number), report.length);
    const payload = report.subarray(this.#continuing ? 5 : 2, end).toString('latin1').replace(/\0+$/, '');
    this.#continuing = report.length >= 64 && report[report.length - 1] !== 0;
    return this.#continuing ? payload : `${payload}\n`;
  }
}
