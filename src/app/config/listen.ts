import { isIPv6 } from 'node:net';
import { PtgwError } from '../../core/errors.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * `http.listen` as written: `host:port`, with IPv6 hosts in brackets (`[::1]:8080`) because a bare
 * IPv6 address is ambiguous with the port. Port 0 is allowed: the OS picks one (tests use it).
 * Undefined when the text is not of that form.
 */
export function parseListen(text: string): ListenAddress | undefined {
  const m = /^(?:\[([^\]]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  if (m === null) return undefined;
  const v6 = m[1];
  if (v6 !== undefined && !isIPv6(v6)) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: v6 ?? (m[2] as string), port };
}

/** What the errno of a failed listen means for the person who wrote http.listen. */
const LISTEN_ERRNO: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is in use by another program (or another ptgw)',
  EADDRNOTAVAIL: 'the host is not an address of this machine',
  EACCES: 'a port below 1024 needs privileges this process does not have (CAP_NET_BIND_SERVICE), or the system refused the port',
  ENOTFOUND: 'the host is no name this machine can resolve',
};

/** The server could not listen on `http.listen`: Node's "listen EADDRNOTAVAIL …" names no config key. */
export function listenFailed(address: ListenAddress, cause: unknown): PtgwError {
  const errno = (cause as { code?: unknown } | undefined)?.code;
  const meaning = typeof errno === 'string' ? LISTEN_ERRNO[errno] : undefined;
  const why = meaning === undefined ? (cause instanceof Error ? cause.message : String(cause)) : `${meaning} (${String(errno)})`;
  const host = isIPv6(address.host) ? `[${address.host}]` : address.host;
  return new PtgwError('HTTP_LISTEN_FAILED', `Cannot listen on http.listen ${host}:${address.port}: ${why}.`, { cause, field: 'http.listen' });
}
