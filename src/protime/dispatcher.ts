import { Agent, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { PtgwError } from '../core/errors.js';

export interface Timeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

/** The outbound proxy (protime.proxy) every request to Protime goes through. */
export interface ProxyOptions {
  /** scheme://host:port, without credentials: it is shown in errors. */
  url: string;
  /** When the proxy wants Basic credentials. */
  user?: string | undefined;
  /** A function, like the client secret: read once, when the dispatcher is built. */
  password?: () => string;
}

const KEEP_ALIVE_MS = 30_000;

/**
 * One keep-alive pool for the token endpoint and the API. Through a proxy, every origin (http
 * too) gets a CONNECT tunnel: TLS to Protime runs end to end inside it, so the proxy sees host
 * names but never the client secret or the tokens. The connection to the proxy, its answer to
 * CONNECT and the requests in the tunnel keep the same time-outs as a direct connection.
 */
export function createDispatcher(t: Timeouts, proxy: ProxyOptions | undefined): Dispatcher {
  const limits = { headersTimeout: t.headersMs, bodyTimeout: t.bodyMs, keepAliveTimeout: KEEP_ALIVE_MS };
  if (proxy === undefined) return new Agent({ connect: { timeout: t.connectMs }, ...limits });
  return new ProxyAgent({
    uri: proxy.url,
    ...limits,
    proxyTls: { timeout: t.connectMs },
    requestTls: { timeout: t.connectMs },
    clientFactory: (origin, opts) => new Pool(origin, { ...opts, ...limits }),
    ...(proxy.user === undefined ? {} : { token: `Basic ${Buffer.from(`${proxy.user}:${proxy.password?.() ?? ''}`).toString('base64')}` }),
  });
}

// undici 7 fails a request whose CONNECT got another answer than 200 with an AbortError worded so.
const TUNNEL_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;
/**
 * Failures to open a connection: with a proxy, the only connection ptgw opens itself is to the
 * proxy, so the request never left. Not ETIMEDOUT: an open connection that stops answering fails
 * so too, after a request may have reached Protime; the sender must look such a clocking up.
 */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The error for a request (`what`, e.g. "GET /people") that the proxy did not let through, or
 * undefined when the failure was not the proxy's. Retryable like any network failure: a proxy
 * restarting, or one whose credentials are being mended, lets the next attempt through.
 */
export function proxyFailure(cause: unknown, proxy: ProxyOptions | undefined, what: string): PtgwError | undefined {
  if (proxy === undefined || typeof cause !== 'object' || cause === null) return undefined;
  const { code = '', message = '' } = cause as { code?: string; message?: string };
  const where = `the proxy ${proxy.url} (protime.proxy)`;
  const refused = TUNNEL_REFUSED.exec(message);
  if (refused !== null) {
    const status = refused[1] as string;
    const why =
      status !== '407'
        ? `${where} refused to open a tunnel for ${what} (${status})`
        : proxy.user === undefined
          ? `${where} asks for credentials for ${what} (407 Proxy Authentication Required); give the user in protime.proxy (http://user@host:port) and its password in protime.proxyPasswordFile`
          : `${where} refused the credentials of user "${proxy.user}" for ${what} (407 Proxy Authentication Required); check the user in protime.proxy and its password`;
    return new PtgwError('SYNC_NETWORK', `${why}.`, { cause, endpoint: 'proxy' });
  }
  if (!CONNECT_FAILURES.has(code)) return undefined;
  const timeout = code === 'UND_ERR_CONNECT_TIMEOUT';
  return new PtgwError(timeout ? 'SYNC_TIMEOUT' : 'SYNC_NETWORK', `Cannot reach ${where} for ${what}: ${message} (${code}).`, { cause, endpoint: 'proxy' });
}
