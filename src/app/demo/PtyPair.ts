import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PtgwError } from '../../core/errors.js';

/**
 * A virtual serial cable for `ptgw demo`: socat links two pseudo-terminals, the gateway opens one
 * end as a keypad terminal's serial port and a person (or the demo script) types on the other.
 */
export class PtyPair {
  readonly gatewayPath: string;
  readonly terminalPath: string;
  #proc: ChildProcess | undefined;

  constructor(dir: string, name: string) {
    this.gatewayPath = join(dir, `${name}-gateway`);
    this.terminalPath = join(dir, name);
  }

  async start(): Promise<void> {
    const proc = spawn('socat', [`pty,raw,echo=0,link=${this.gatewayPath}`, `pty,raw,echo=0,link=${this.terminalPath}`], { stdio: 'ignore' });
    this.#proc = proc;
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      proc.once('error', (err) => reject(new PtgwError('DEVICE_UNAVAILABLE', `ptgw demo needs socat for its virtual terminals (apt-get install socat): ${err.message}.`, { cause: err })));
      const poll = (): void => {
        if (existsSync(this.gatewayPath) && existsSync(this.terminalPath)) resolve();
        else if (proc.exitCode !== null) reject(new PtgwError('DEVICE_UNAVAILABLE', `socat exited with code ${proc.exitCode} instead of creating the virtual terminals.`));
        else if (Date.now() - started > 5000) reject(new PtgwError('DEVICE_UNAVAILABLE', 'socat did not create the virtual terminals within 5 s.'));
        else setTimeout(poll, 20);
      };
      poll();
    });
  }

  stop(): Promise<void> {
    const proc = this.#proc;
    if (proc === undefined || proc.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  }
}
