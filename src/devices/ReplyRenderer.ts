import type { Reply } from '../core/dialog.js';
import type { ProfileOutput } from './profileSchema.js';

/**
 * Turns a dialog reply into the bytes' text for a display: fills the profile template, then makes
 * every value safe — no control characters (an upstream name cannot drive the terminal), letters
 * outside the display's charset transliterated, and the visible text cut to the display's size.
 * The template's leading literal (e.g. `P` of the keypad protocol) is protocol, not display text.
 */
export class ReplyRenderer {
  readonly #out: ProfileOutput;

  constructor(output: ProfileOutput) {
    this.#out = output;
  }

  render(reply: Reply): string {
    const template = this.#out[reply.kind];
    const values: Record<string, string> = {
      text: reply.text,
      name: 'name' in reply ? reply.name : '',
      code: 'code' in reply ? reply.code : '',
      reason: reply.kind === 'reject' ? reply.text : '',
      level: 'level' in reply && reply.level !== undefined ? String(reply.level) : '',
    };
    const brace = template.indexOf('{');
    const prefix = brace < 0 ? '' : template.slice(0, brace);
    const body = (brace < 0 ? template : template.slice(brace)).replace(/\{(text|name|code|reason|level)\}/g, (_, key: string) => this.#safe(values[key] ?? ''));
    const visible = this.#safe(body).replace(/\s+/g, ' ').trim();
    return prefix + [...visible].slice(0, this.#out.displayWidth * this.#out.displayLines).join('').trimEnd();
  }

  #safe(text: string): string {
    // Composed first: a name stored decomposed (e + U+0301, as macOS writes it) is one letter on the display.
    // eslint-disable-next-line no-control-regex
    const clean = text.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/g, ' ');
    // One `?` for a character beyond the Basic Multilingual Plane (an emoji): a display's font has
    // none, and it is one character, not its two UTF-16 halves. A lone surrogate is one `?` too.
    if (this.#out.charset === 'utf8') return clean.replace(/[\u{10000}-\u{10ffff}\ud800-\udfff]/gu, '?');
    return transliterate(clean, this.#out.charset === 'latin1' ? 0xff : 0x7f);
  }
}

const SPECIAL: Record<string, string> = { ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'OE', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', ı: 'i', '€': 'EUR', '–': '-', '—': '-', '‘': "'", '’': "'", '“': '"', '”': '"', '…': '...' };

/** Keeps what the charset has, strips accents from the rest (é → e), and shows `?` for what has no Latin form. */
export function transliterate(text: string, maxCodePoint: number): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp <= maxCodePoint) {
      out += ch;
      continue;
    }
    const special = SPECIAL[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    // An accent left over after composing has no letter of its own to show.
    if (base === '') continue;
    out += [...base].every((c) => (c.codePointAt(0) as number) <= maxCodePoint) ? base : '?';
  }
  return out;
}
