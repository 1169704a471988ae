import { SerialPort } from 'serialport';
import { waitFor } from './waitFor.js';

/** The terminal's side of a pty pair: types frames and reads the gateway's replies line by line. */
export class TestTerminal {
  readonly lines: string[] = [];
  /** performance.now() when each line arrived, for latency measurements. */
  readonly times: number[] = [];
  #buffer = '';

  private constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString('latin1');
      let i: number;
      while ((i = this.#buffer.indexOf('\r\n')) >= 0) {
        this.lines.push(this.#buffer.slice(0, i));
        this.times.push(performance.now());
        this.#buffer = this.#buffer.slice(i + 2);
      }
    });
  }

  static async open(path: string): Promise<TestTerminal> {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    return new TestTerminal(port);
  }

  /** Sends raw bytes, as a terminal with a noisy line might. */
  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.port.write(data, (err) => (err ? reject(err) : resolve())));
  }

  /** Sends one frame of the line protocol (CRLF added). */
  send(frame: string): Promise<void> {
    return this.write(`${frame}\r\n`);
  }

  /** Waits until `count` more lines than `from` arrived and returns them. */
  async next(count = 1, from = this.lines.length, timeoutMs = 10_000): Promise<string[]> {
    return waitFor(
      () => {
        if (this.lines.length < from + count) throw new Error(`got ${JSON.stringify(this.lines.slice(from))}`);
        return this.lines.slice(from, from + count);
      },
      { timeoutMs, what: `${count} reply line(s)` },
    );
  }

  /** Sends a frame and returns the replies it caused. */
  async exchange(frame: string, replies = 1): Promise<string[]> {
    const from = this.lines.length;
    await this.send(frame);
    return this.next(replies, from);
  }

  /** Stops reading, so the gateway's writes back up as with a terminal that is busy; resume() reads on. */
  pause(): void {
    this.port.pause();
  }

  resume(): void {
    this.port.resume();
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}
