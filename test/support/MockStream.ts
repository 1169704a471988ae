import { EventEmitter } from 'node:events';
import type { ByteStream } from '../../src/devices/ByteStream.js';

/** A device connection for tests, like zwave-js's MockPort: emitData in, writes out, destroy to unplug. */
export class MockStream extends EventEmitter implements ByteStream {
  readonly writes: Buffer[] = [];
  closed = false;

  emitData(data: string | Buffer): void {
    this.emit('data', typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  write(data: Buffer): Promise<void> {
    this.writes.push(data);
    return Promise.resolve();
  }

  /** Lines written so far, without delimiters. */
  lines(delimiter = '\r\n'): string[] {
    return Buffer.concat(this.writes).toString('latin1').split(delimiter).filter((l) => l !== '');
  }

  close(): Promise<void> {
    this.destroy();
    return Promise.resolve();
  }

  destroy(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', err);
  }
}
