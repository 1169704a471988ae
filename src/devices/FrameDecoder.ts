/**
 * Splits a byte stream into frames at a delimiter, for every transport alike. Unlike a readline
 * parser it bounds memory: a frame longer than maxFrameLength is dropped (and counted) and the
 * decoder skips to the next delimiter, so a noisy line or a stuck key can never grow a buffer.
 */
export type Encoding = 'ascii' | 'latin1' | 'utf8';

export interface FrameStats {
  frames: number;
  oversized: number;
  undecodable: number;
}

export class FrameDecoder {
  readonly stats: FrameStats = { frames: 0, oversized: 0, undecodable: 0 };
  readonly #delimiter: Buffer;
  readonly #max: number;
  readonly #encoding: Encoding;
  readonly #utf8 = new TextDecoder('utf-8', { fatal: true });
  #parts: Buffer[] = [];
  #length = 0;
  /** True while skipping the rest of an oversized frame. */
  #discarding = false;

  constructor(options: { delimiter: string; maxFrameLength: number; encoding: Encoding }) {
    this.#delimiter = Buffer.from(options.delimiter, 'latin1');
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
      // Search only where a delimiter can end in new bytes.
      const from = Math.max(0, carried - this.#delimiter.length + 1);
      const at = data.indexOf(this.#delimiter, from);
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
      data = data.subarray(at + this.#delimiter.length);
      carried = 0;
    }
    if (data.length > this.#max + this.#delimiter.length) {
      // Keep the tail that may hold the start of a delimiter, drop the rest.
      if (!this.#discarding) this.stats.oversized++;
      this.#discarding = true;
      data = data.subarray(data.length - (this.#delimiter.length - 1));
    }
    if (data.length > 0) {
      this.#parts = [Buffer.from(data)];
      this.#length = data.length;
    }
    return frames;
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
