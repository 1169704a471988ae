import type { Reply } from '../core/dialog.js';
import type { ProfileOutput } from './profileSchema.js';

const RENDERED_LINES = 1024;

/**
 * Turns a dialog reply into the bytes' text for a display: fills the profile template, then makes
 * every value safe — no control characters (an upstream name cannot drive the terminal), letters
 * outside the display's charset transliterated, and the visible text cut to the display's size.
 * The template's leading literal (e.g. `P` of the keypad protocol) is protocol, not display text.
 *
 * What does not fit is taken from the name first, then the code, so the fixed words stay whole:
 * cutting the line's end took the level off a prompt behind a long name ("Order 100 Building L"
 * for level 3) and the end off a reason behind a code ("2004 Not allowed for"). A code that does
 * not fit is left out whole, never shown in part, where it would read as another code.
 */
export class ReplyRenderer {
  readonly #out: ProfileOutput;
  readonly #room: number;
  /**
   * Lines rendered before, by what they were rendered from: a terminal shows the same few prompts
   * and names all day, and normalising, cleaning and fitting one takes some 5 µs of the event
   * loop that every terminal waits on. Emptied when full, so it stays small whatever the names.
   */
  readonly #rendered = new Map<string, string>();

  constructor(output: ProfileOutput) {
    this.#out = output;
    this.#room = output.displayWidth * output.displayLines;
  }

  render(reply: Reply): string {
    const key = JSON.stringify([reply.kind, reply.text, 'level' in reply ? reply.level : null, 'name' in reply ? reply.name : null, 'code' in reply ? reply.code : null]);
    let line = this.#rendered.get(key);
    if (line === undefined) {
      if (this.#rendered.size >= RENDERED_LINES) this.#rendered.clear();
      this.#rendered.set(key, (line = this.#render(reply)));
    }
    return line;
  }

  #render(reply: Reply): string {
    const template = this.#out[reply.kind];
    const values: Record<string, string> = {
      text: this.#safe(reply.text),
      reason: reply.kind === 'reject' ? this.#safe(reply.text) : '',
      level: 'level' in reply && reply.level !== undefined ? String(reply.level) : '',
    };
    const name = 'name' in reply ? this.#safe(reply.name) : '';
    let code = 'code' in reply ? this.#safe(reply.code) : '';
    const brace = template.indexOf('{');
    const prefix = brace < 0 ? '' : template.slice(0, brace);
    const body = this.#safe(brace < 0 ? template : template.slice(brace));
    const fill = (n: string, c: string): string =>
      body.replace(/\{(text|name|code|reason|level)\}/g, (_, key: string) => (key === 'name' ? n : key === 'code' ? c : (values[key] ?? ''))).replace(/\s+/g, ' ').trim();
    let visible = fill(name, code);
    if (length(visible) > this.#room) {
      if (length(fill('', code)) > this.#room) code = '';
      visible = fill(this.#shortened(name, (n) => fill(n, code)), code);
    }
    return prefix + [...visible].slice(0, this.#room).join('').trimEnd();
  }

  /** The longest start of the name with which the line fits (the empty name when none does). */
  #shortened(name: string, fill: (name: string) => string): string {
    const chars = [...name];
    // The line grows by at most one character per name character, plus the space beside it.
    let n = Math.min(chars.length, Math.max(0, this.#room - length(fill(''))));
    while (n > 0 && length(fill(chars.slice(0, n).join('').trimEnd())) > this.#room) n--;
    return chars.slice(0, n).join('').trimEnd();
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

function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
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
