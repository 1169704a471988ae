import { execFile } from 'node:child_process';
import type { Logger } from 'pino';
import type { SystemdEnv } from './systemdEnv.js';

/**
 * sd_notify without a native module: Node's dgram cannot send to a unix socket, so the
 * `systemd-notify` helper sends READY=1 and WATCHDOG=1 (the unit sets NotifyAccess=all for it).
 * The watchdog is fed from a timer on the event loop, so a blocked loop stops feeding it and
 * systemd restarts the service.
 */
export class SystemdNotifier {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly env: SystemdEnv,
    private readonly logger: Logger,
  ) {}

  get active(): boolean {
    return this.env.notifySocket !== undefined;
  }

  ready(): void {
    if (!this.active) return;
    this.#send(['--ready', `--pid=${process.pid}`]);
    if (this.env.watchdogUsec !== undefined) {
      const every = Math.max(1000, Math.floor(this.env.watchdogUsec / 1000 / 2));
      this.#timer = setInterval(() => this.#send([`--pid=${process.pid}`, 'WATCHDOG=1']), every);
      this.#timer.unref();
    }
  }

  stopping(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.active) this.#send([`--pid=${process.pid}`, 'STOPPING=1']);
  }

  /**
   * Without --no-block, systemd-notify waits until systemd has taken the message: with --no-block it
   * may exit first, and systemd, which matches a message to its unit by the sender's process, then
   * drops it (a lost READY=1 fails the start, a lost WATCHDOG=1 restarts the daemon). The wait is in
   * the child process; the event loop never waits for it.
   */
  #send(args: string[]): void {
    execFile('systemd-notify', args, { env: { NOTIFY_SOCKET: this.env.notifySocket } }, (err) => {
      if (err) this.logger.warn({ err: err.message }, 'systemd-notify failed');
    });
  }
}
