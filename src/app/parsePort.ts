import { PtgwError } from '../core/errors.js';

/** A `--port` flag's value as a TCP port (0: any free one), or a usage error naming the flag. */
export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new PtgwError('USAGE', `--port must be a TCP port number from 0 to 65535 (got "${value}").`);
  return port;
}
