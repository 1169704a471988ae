import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder } from '../../../src/devices/FrameDecoder.js';

const crlf = (max = 32, encoding: 'ascii' | 'latin1' | 'utf8' = 'ascii'): FrameDecoder => new FrameDecoder({ delimiter: '\r\n', maxFrameLength: max, encoding });
const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('framing a byte stream', () => {
  it('splits at the delimiter, across chunk boundaries and inside the delimiter', () => {
    const d = crlf();
    expect(d.push(b('B0001234\r\nK1'))).toEqual(['B0001234']);
    // The CR already ends the frame; the LF that follows in the next chunk is the rest of the CRLF.
    expect(d.push(b('00\r'))).toEqual(['K100']);
    expect(d.push(b('\nK00026\r\n'))).toEqual(['K00026']);
    expect(d.stats).toMatchObject({ frames: 3, oversized: 0 });
  });

  it('ends frames at CR, LF or CRLF alike when the delimiter is a line ending, wherever the chunks split', () => {
    const d = crlf();
    expect(d.push(b('K1\rK2\nK3\r'))).toEqual(['K1', 'K2', 'K3']);
    // The LF of a CRLF split from its CR is not an empty frame.
    expect(d.push(b('\nK4\r\n\r\n'))).toEqual(['K4', '']);
    const cr = new FrameDecoder({ delimiter: '\r', maxFrameLength: 32, encoding: 'ascii' });
    expect(cr.push(b('00026\r\nBADGE1\r\n'))).toEqual(['00026', 'BADGE1']);
    // Any other delimiter stays exact.
    const stx = new FrameDecoder({ delimiter: '\u0003', maxFrameLength: 32, encoding: 'ascii' });
    expect(stx.push(b('K1\rK2\u0003'))).toEqual(['K1\rK2']);
  });

  it('gives the same frames however the stream is chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Z0-9]{0,10}$/), { maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), (frames, cuts) => {
        const stream = b(frames.map((f) => `${f}\r\n`).join(''));
        const d = crlf();
        const out: string[] = [];
        let i = 0;
        let c = 0;
        while (i < stream.length) {
          const n = cuts[c++ % cuts.length] as number;
          out.push(...d.push(stream.subarray(i, i + n)));
          i += n;
        }
        expect(out).toEqual(frames);
      }),
    );
  });

  it('drops a 10 kB line without delimiter, counts it once, and resynchronises on the next delimiter', () => {
    const d = crlf(256);
    for (let i = 0; i < 10; i++) expect(d.push(Buffer.alloc(1024, 0x41))).toEqual([]);
    expect(d.push(b('tail\r\nK26\r\n'))).toEqual(['K26']);
    expect(d.stats).toMatchObject({ oversized: 1, frames: 1 });
  });

  it('drops a complete frame that is too long', () => {
    const d = crlf(4);
    expect(d.push(b('K12345\r\nK1\r\n'))).toEqual(['K1']);
    expect(d.stats.oversized).toBe(1);
  });

  it('counts and drops frames an ASCII or UTF-8 device cannot have sent, and keeps going', () => {
    const ascii = crlf();
    expect(ascii.push(Buffer.from([0x4b, 0xff, 0x31, 0x0d, 0x0a, 0x4b, 0x32, 0x0d, 0x0a]))).toEqual(['K2']);
    expect(ascii.stats.undecodable).toBe(1);
    const utf8 = crlf(32, 'utf8');
    expect(utf8.push(Buffer.concat([Buffer.from([0x4b, 0xc3, 0x28]), b('\r\n'), Buffer.from('KÉ\r\n', 'utf8')]))).toEqual(['KÉ']);
    expect(utf8.stats.undecodable).toBe(1);
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const d = crlf(64, 'utf8');
        for (const c of chunks) for (const f of d.push(Buffer.from(c))) expect(f.length).toBeLessThanOrEqual(64);
      }),
    );
  });
});
