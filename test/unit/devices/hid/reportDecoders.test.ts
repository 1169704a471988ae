import { describe, expect, it } from 'vitest';
import { BE_AZERTY, US } from '../../../../src/devices/hid/keymaps.js';
import { HidPosDecoder, KeyboardWedgeDecoder } from '../../../../src/devices/hid/reportDecoders.js';
import { FrameDecoder } from '../../../../src/devices/FrameDecoder.js';

/** Boot keyboard reports as a wedge scanner sends them: press, release, press, release … */
function typed(keys: [modifiers: number, usage: number][]): Buffer[] {
  const reports: Buffer[] = [];
  for (const [mod, usage] of keys) {
    reports.push(Buffer.from([mod, 0, usage, 0, 0, 0, 0, 0]));
    reports.push(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]));
  }
  return reports;
}
const decodeAll = (d: KeyboardWedgeDecoder, reports: Buffer[]): string => reports.map((r) => d.decode(r)).join('');

const SHIFT = 0x02;
const ENTER = 0x28;
// US usages for 0, 2 and 6.
const K0 = 0x27;
const K2 = 0x1f;
const K6 = 0x23;

describe('keyboard-wedge reports', () => {
  it('decodes 00026 + Enter typed on a US layout', () => {
    expect(decodeAll(new KeyboardWedgeDecoder(US), typed([[0, K0], [0, K0], [0, K0], [0, K2], [0, K6], [0, ENTER]]))).toBe('00026\n');
  });

  it('decodes the same code from a Belgian AZERTY scanner, which needs Shift for digits', () => {
    const reports = typed([[SHIFT, K0], [SHIFT, K0], [SHIFT, K0], [SHIFT, K2], [SHIFT, K6], [0, ENTER]]);
    expect(decodeAll(new KeyboardWedgeDecoder(BE_AZERTY), reports)).toBe('00026\n');
    // Read with the wrong keymap, the same reports are garbage — the reason the profile names its layout.
    expect(decodeAll(new KeyboardWedgeDecoder(US), reports)).toBe(')))@^\n');
  });

  it('maps the moved AZERTY letters and AltGr characters', () => {
    // Keys at US positions A, Z, Q, W, M, and AltGr+2 → q w a z , @
    const reports = typed([[0, 0x04], [0, 0x1d], [0, 0x14], [0, 0x1a], [0, 0x10], [0x40, K2]]);
    expect(decodeAll(new KeyboardWedgeDecoder(BE_AZERTY), reports)).toBe('qwaz,@');
  });

  it('types a held key once, and a key pressed again after release twice', () => {
    const d = new KeyboardWedgeDecoder(US);
    const held = [Buffer.from([0, 0, K2, 0, 0, 0, 0, 0]), Buffer.from([0, 0, K2, 0, 0, 0, 0, 0]), Buffer.from([0, 0, K2, K6, 0, 0, 0, 0]), Buffer.alloc(8)];
    expect(decodeAll(d, held)).toBe('26');
  });

  it('uses the right shift key too, and keypad digits on any layout', () => {
    expect(decodeAll(new KeyboardWedgeDecoder(US), typed([[0x20, 0x04], [0, 0x59], [0, 0x62]]))).toBe('A10');
    expect(decodeAll(new KeyboardWedgeDecoder(BE_AZERTY), typed([[0, 0x59], [0, 0x62]]))).toBe('10');
  });

  it('marks a key the layout lacks, so that the frame is refused rather than read with a character missing', () => {
    // 0x64 is the key left of Z on ISO keyboards: US layouts have none. A modifier sent as a key types nothing.
    expect(decodeAll(new KeyboardWedgeDecoder(US), typed([[0, K2], [0, 0x64], [0, 0xe1], [0, K6], [0, ENTER]]))).toBe('2\u00ff6\n');
    const decoder = new FrameDecoder({ delimiter: '\n', maxFrameLength: 64, encoding: 'ascii' });
    expect(decoder.push(Buffer.from('2\u00ff6\n26\n', 'latin1'))).toEqual(['26']);
    expect(decoder.stats.undecodable).toBe(1);
  });

  it('accepts reports with a leading report id and ignores rollover errors', () => {
    const d = new KeyboardWedgeDecoder(US);
    expect(d.decode(Buffer.from([1, 0, 0, K2, 0, 0, 0, 0, 0]))).toBe('2');
    expect(d.decode(Buffer.from([0, 0, 1, 1, 1, 1, 1, 1]))).toBe('');
  });
});

describe('HID POS reports', () => {
  /** A 64-byte scanned-data report laid out as a Honeywell scanner sends it (see HidPosDecoder). */
  function report(aim: string, data: string, last = true): Buffer {
    const r = Buffer.alloc(64);
    r[0] = 0x02;
    r[1] = data.length;
    r.write(aim, 2, 'latin1');
    r.write(data, 5, 'latin1');
    // Honeywell puts its own code id after the data area: it is not part of the scan.
    r[61] = 0x3f;
    r[63] = last ? 0 : 1;
    return r;
  }

  it('decodes a scan with its AIM identifier and ends it', () => {
    expect(new HidPosDecoder().decode(report(']C1', '00026'))).toBe(']C100026\n');
  });

  it('joins a scan spread over several reports without repeating the AIM identifier', () => {
    const d = new HidPosDecoder();
    const first = d.decode(report(']E0', '1'.repeat(56), false));
    const second = d.decode(report(']E0', '234'));
    expect(first + second).toBe(`]E0${'1'.repeat(56)}234\n`);
  });

  it('ignores reports of other ids', () => {
    expect(new HidPosDecoder().decode(Buffer.from([0x04, 1, 2, 3, 4, 5]))).toBe('');
  });
});
