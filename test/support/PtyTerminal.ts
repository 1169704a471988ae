import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './waitFor.js';

const SCRIPT = fileURLToPath(new URL('./ptyTerminal.py', import.meta.url));

/** The terminal's side of a pty pair with no relay: it reads only when told to (see ptyTerminal.py). */
export class PtyTerminal {
  readonly #proc: ChildProcessWithoutNullStreams;
  #out = '';
  #err = '';
  #seen = 0;

  private constructor() {
    this.#proc = spawn('python3', [SCRIPT]);
    this.#proc.stdout.on('data', (d: Buffer) => (this.#out += d.toString()));
    this.#proc.stderr.on('data', (d: Buffer) => (this.#err += d.toString()));
    this.#proc.on('error', (e) => (this.#err += `python3 could not start: ${e.message}`));
  }

  /** Opens a pty pair; resolves with the terminal and the slave path the gateway is to open. */
  static async start(): Promise<{ terminal: PtyTerminal; path: string }> {
    const terminal = new PtyTerminal();
    const path = await terminal.#answer('the pty path', 10_000);
    return { terminal, path };
  }

  /** Types one frame (CRLF added). */
  async send(frame: string): Promise<void> {
    this.#proc.stdin.write(`send ${frame}\n`);
    await this.#answer('sent', 10_000);
  }

  /** Reads until `bytes` arrived; returns their SHA-256 in hex. */
  async drain(bytes: number): Promise<string> {
    this.#proc.stdin.write(`drain ${bytes}\n`);
    return (await this.#answer('drained', 30_000)).split(' ')[2] as string;
  }

  /** Hangs the line up, as the kernel does when a USB adapter is pulled. */
  async hangUp(): Promise<void> {
    this.#proc.stdin.write('hangup\n');
    const answer = await this.#answer('hung up', 10_000);
    if (answer !== 'hung up') throw new Error(answer);
  }

  async close(): Promise<void> {
    if (this.#proc.exitCode !== null) return;
    const exited = new Promise((r) => this.#proc.once('exit', r));
    this.#proc.kill();
    await exited;
  }

  #answer(what: string, timeoutMs: number): Promise<string> {
    return waitFor(
      () => {
        const nl = this.#out.indexOf('\n', this.#seen);
        if (nl < 0) throw new Error(`no answer yet ${this.#err}`);
        const line = this.#out.slice(this.#seen, nl);
        this.#seen = nl + 1;
        return line;
      },
      { timeoutMs, what: `the pty terminal's "${what}"` },
    );
  }
}
