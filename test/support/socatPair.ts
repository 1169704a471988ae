import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './waitFor.js';

/**
 * A linked pair of real pseudo-terminals made by socat: the gateway opens one end as its serial
 * port, the test plays the terminal on the other. Killing socat is pulling the cable.
 */
export class SocatPair {
  readonly gatewayPath: string;
  readonly terminalPath: string;
  #proc: ChildProcess | undefined;

  constructor(dir: string, name = 'tty') {
    this.gatewayPath = join(dir, `${name}-gw`);
    this.terminalPath = join(dir, `${name}-term`);
  }

  /** Starts socat; a machine without it fails the test at once, saying so (tests that need socat never pass without it). */
  async start(): Promise<this> {
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.gatewayPath}`, `pty,raw,echo=0,link=${this.terminalPath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Read, so that socat never blocks on a full pipe, and kept for the error should it not start.
    let said = '';
    proc.stderr?.on('data', (d: Buffer) => (said = (said + d.toString()).slice(-2000)));
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', (err) => reject(new Error(`socat could not start (is it installed? .ci/run installs it): ${err.message}`)));
    });
    this.#proc = proc;
    await Promise.race([
      failed,
      waitFor(() => {
        if (proc.exitCode !== null) throw new Error(`socat exited with ${proc.exitCode}: ${said}`);
        if (!existsSync(this.gatewayPath) || !existsSync(this.terminalPath)) throw new Error(`pty links not there yet ${said}`);
      }, { what: 'socat to create the pty pair' }),
    ]);
    return this;
  }

  /** Pulls the cable: the gateway's side gets EIO/hang-up and the links disappear. */
  async kill(): Promise<void> {
    const proc = this.#proc;
    if (proc === undefined || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
    this.#proc = undefined;
  }
}
