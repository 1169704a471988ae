import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/dialog.js';
import { loadProfiles } from '../../../src/devices/loadProfiles.js';
import { ReplyRenderer, transliterate } from '../../../src/devices/ReplyRenderer.js';

const output = loadProfiles().get('generic-keypad')?.output;
if (output === undefined) throw new Error('generic-keypad has an output section');
const keypad = new ReplyRenderer(output);

describe('rendering replies for a display', () => {
  it('fills the keypad protocol templates', () => {
    expect(keypad.render({ kind: 'accept', level: 3, text: 'Accepted', name: 'Cleaning', code: '00026' })).toBe('ACleaning');
    expect(keypad.render({ kind: 'reject', reason: 'UNKNOWN_CODE', level: 3, text: 'Unknown code', explanation: '', name: '', code: '999' })).toBe('R999 Unknown code');
    expect(keypad.render({ kind: 'prompt', level: 2, text: 'Level 2', name: 'Maintenance', code: '1' })).toBe('PMaintenance Level 2');
    expect(keypad.render({ kind: 'idle', text: 'Present badge' })).toBe('IPresent badge');
  });

  it('never lets control or escape characters from upstream reach the terminal', () => {
    const reply: Reply = { kind: 'accept', level: 3, text: 'Accepted', name: 'Clean\u001b[2J\r\nRBOOM\u0007', code: '1' };
    const line = keypad.render(reply);
    expect([...line].every((c) => c >= " " && c !== "\u007f")).toBe(true);
    expect(line.startsWith('AClean [2J RBOOM')).toBe(true);
  });

  it('shows names stored with combining accents, and Turkish dotless i, as letters, not question marks', () => {
    expect(keypad.render({ kind: 'accept', level: 1, text: '', name: 'Rene\u0301 Mu\u0308ller', code: '' })).toBe('ARene Muller');
    expect(keypad.render({ kind: 'accept', level: 1, text: '', name: 'Işık Çelik', code: '' })).toBe('AIsik Celik');
    const latin1 = new ReplyRenderer({ ...output, charset: 'latin1' });
    expect(latin1.render({ kind: 'accept', level: 1, text: '', name: 'Mu\u0308ller Ec\u0327a', code: '' })).toBe('AMüller Eça');
    // Counted as the letters the display shows: a decomposed name is not cut a letter early.
    const narrow = new ReplyRenderer({ ...output, charset: 'utf8', displayWidth: 4 });
    expect(narrow.render({ kind: 'accept', level: 1, text: '', name: 'Ze\u0301lie', code: '' })).toBe('AZéli');
  });

  it('shows an emoji on a UTF-8 display as one question mark, not two', () => {
    const utf8 = new ReplyRenderer({ ...output, charset: 'utf8' });
    expect(utf8.render({ kind: 'accept', level: 1, text: '', name: 'Team 🚀 Ω', code: '' })).toBe('ATeam ? Ω');
  });

  it('shortens a long name, not the level it prompts for, to fit the display', () => {
    expect(keypad.render({ kind: 'prompt', level: 3, text: 'Level 3', name: 'Order 100 Building L east wing', code: '100' })).toBe('POrder 100 Bu Level 3');
    // A name shortened to nothing leaves the level alone, with no stray space.
    const tiny = new ReplyRenderer({ ...output, displayWidth: 7 });
    expect(tiny.render({ kind: 'prompt', level: 3, text: 'Level 3', name: 'Order 100', code: '100' })).toBe('PLevel 3');
  });

  it('keeps the whole reason of a reject, leaving out a code that does not fit beside it rather than showing part of it', () => {
    const reject = (code: string, text: string): string => keypad.render({ kind: 'reject', reason: 'NO_USAGE', level: 3, text, explanation: '', name: '', code });
    expect(reject('2004', 'Not allowed for you')).toBe('RNot allowed for you');
    expect(reject('1234567890123456', 'Unknown code')).toBe('RUnknown code');
    expect(reject('12345678', 'Unknown code')).toBe('RUnknown code');
    expect(reject('1234567', 'Unknown code')).toBe('R1234567 Unknown code');
  });

  it('renders a reply it rendered before as it did the first time, whatever came between and however many there were', () => {
    // Replies from a few pieces, so that many repeat; among them pairs that only differ in which
    // field holds a character (name "A" + code "B1" against name "AB" + code "1").
    const texts = ['Level 2', 'Accepted', 'Not allowed for you', ''];
    const names = ['', 'A', 'AB', 'Cleaning', 'Clean\u0000ing', 'Schoonmaken ëèà Straße Œuvre', 'Zürich 東京'];
    const codes = ['', '1', 'B1', '00026', '\u0000'];
    let seed = 11;
    const pick = <T,>(xs: readonly T[]): T => xs[(seed = (seed * 48271) % 2147483647) % xs.length] as T;
    const remembering = new ReplyRenderer(output);
    for (let i = 0; i < 4000; i++) {
      const kind = pick(['prompt', 'accept', 'reject', 'idle'] as const);
      const text = pick(texts);
      // Past the renderer's memory (1024 lines) now and then: unique names push the old lines out.
      const name = i % 7 === 0 ? `${pick(names)}${i}` : pick(names);
      const reply: Reply =
        kind === 'idle' ? { kind, text } : kind === 'reject' ? { kind, reason: 'UNKNOWN_CODE', level: pick([1, 2, undefined]), text, explanation: '', name, code: pick(codes) } : { kind, level: pick([1, 2, 3]), text, name, code: pick(codes) };
      expect(remembering.render(reply), JSON.stringify(reply)).toBe(new ReplyRenderer(output).render(reply));
    }
  });

  it('transliterates to the display charset and cuts to its width', () => {
    expect(keypad.render({ kind: 'accept', level: 1, text: '', name: 'Schoonmaken ëèà Straße Œuvre', code: '' })).toBe('ASchoonmaken eea Stra');
    expect(transliterate('Zürich €5 東京', 0x7f)).toBe('Zurich EUR5 ??');
    expect(transliterate('Zürich', 0xff)).toBe('Zürich');
  });
});
