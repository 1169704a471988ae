/** What systemd tells a service through its environment; read once at start-up. */
export interface SystemdEnv {
  /** Set when the unit is Type=notify. */
  notifySocket: string | undefined;
  /** WatchdogSec in microseconds, when the watchdog is on. */
  watchdogUsec: number | undefined;
}

// eslint-disable-next-line no-restricted-syntax -- the one other place that reads the environment, for systemd's own variables
export function systemdEnv(env: NodeJS.ProcessEnv = process.env): SystemdEnv {
  const usec = Number(env.WATCHDOG_USEC);
  return { notifySocket: env.NOTIFY_SOCKET || undefined, watchdogUsec: Number.isFinite(usec) && usec > 0 ? usec : undefined };
}
