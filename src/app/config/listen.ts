import { isIPv6 } from 'node:net';

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
