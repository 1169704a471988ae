/**
 * Splits a byte stream into frames at a delimiter, for every transport alike. Unlike a readline
 * parser it bounds memory: a frame longer than maxFrameLength is dropped (and counted) and the
 * decoder skips to the next delimiter, so a noisy line or a stuck key can never grow a buffer.
 *
 * A line-ending delimiter (CR, LF or CRLF) accepts any of the three: scanners and terminals leave
 * the factory with different suffixes, and with an exact match a device sending CR to a CRLF
 * profile never ended a frame, while one sending CRLF to a CR profile put the LF in front of every
 * next frame, so that none matched the profile's patterns.
 */
export type Encoding = 'ascii' | 'latin1' | 'utf8';

const CR = 0x0d;
const LF = 0x0a;

export interface FrameStats {
  frames: number;
  oversized: number;
  undecodable: number;
}

export class FrameDecoder {
  readonly stats: FrameStats = { frames: 0, oversized: 0, undecodable: 0 };
  readonly #delimiter: Buffer;
  readonly #anyLineEnd: boolean;
  /** Bytes a frame end takes up when searching: with any line end, one (the CR or the LF). */
  readonly #endLength: number;
  readonly #max: number;
  readonly #encoding: Encoding;
  readonly #utf8 = new TextDecoder('utf-8', { fatal: true });
  #parts: Buffer[] = [];
  #length = 0;
  /** True while skipping the rest of an oversized frame. */
  #discarding = false;
  /** The last frame ended at a CR: an LF right after it is the rest of that CRLF. */
  #afterCr = false;

  constructor(options: { delimiter: string; maxFrameLength: number; encoding: Encoding }) {
    this.#delimiter = Buffer.from(options.delimiter, 'latin1');
    this.#anyLineEnd = /^(\r\n|\r|\n)$/.test(options.delimiter);
    this.#endLength = this.#anyLineEnd ? 1 : this.#delimiter.length;
    this.#max = options.maxFrameLength;
    this.#encoding = options.encoding;
  }

  /** Feeds bytes; returns the complete, decoded frames they finished (without delimiters). */
  push(chunk: Buffer): string[] {
    const frames: string[] = [];
    let data = this.#length === 0 ? chunk : Buffer.concat([...this.#parts, chunk]);
    let carried = this.#length;
    this.#parts = [];
    this.#length = 0;
    for (;;) {
      if (this.#afterCr && data.length > 0) {
        if (data[0] === LF) data = data.subarray(1);
        this.#afterCr = false;
      }
      // Search only where a delimiter can end in new bytes.
      const from = Math.max(0, carried - this.#endLength + 1);
      const at = this.#find(data, from);
      if (at < 0) break;
      const frame = data.subarray(0, at);
      if (this.#discarding || frame.length > this.#max) {
        if (!this.#discarding) this.stats.oversized++;
        this.#discarding = false;
      } else {
        const text = this.#decode(frame);
        if (text !== undefined) {
          this.stats.frames++;
          frames.push(text);
        }
      }
      this.#afterCr = this.#anyLineEnd && data[at] === CR;
      data = data.subarray(at + this.#endLength);
      carried = 0;
    }
    if (data.length > this.#max + this.#endLength) {
      // Keep the tail that may hold the start of a delimiter, drop the rest.
      if (!this.#discarding) this.stats.oversized++;
      this.#discarding = true;
      data = data.subarray(data.length - (this.#endLength - 1));
    }
    if (data.length > 0) {
      this.#parts = [Buffer.from(data)];
      this.#length = data.length;
    }
    return frames;
  }

  /** Where the next frame ends in data, searching from `from`; -1 when it has not ended yet. */
  #find(data: Buffer, from: number): number {
    if (!this.#anyLineEnd) return data.indexOf(this.#delimiter, from);
    const cr = data.indexOf(CR, from);
    // An LF can only end the frame before that CR: never scan the rest of the chunk twice.
    const lf = (cr < 0 ? data : data.subarray(0, cr)).indexOf(LF, from);
    return lf < 0 ? cr : lf;
  }

  #decode(frame: Buffer): string | undefined {
    if (this.#encoding === 'latin1') return frame.toString('latin1');
    if (this.#encoding === 'ascii') {
      for (const b of frame) {
        if (b > 0x7f) {
          this.stats.undecodable++;
          return undefined;
        }
      }
      return frame.toString('latin1');
    }
    try {
      return this.#utf8.decode(frame);
    } catch {
      this.stats.undecodable++;
      return undefined;
    }
  }
}
