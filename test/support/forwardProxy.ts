import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ForwardProxy {
  url: string;
  /** `host:port` of every CONNECT asked for, refused ones included. */
  connects: string[];
  /** `METHOD path` of every request that went through: absolute-form ones and those read inside tunnels. */
  requests: string[];
  /** Requests and CONNECTs answered 407. */
  refused: number;
  /** Cuts every connection and answers 407 to everything from now on: credentials changed on the proxy. */
  refuseFromNowOn: () => void;
  close: () => Promise<void>;
}

const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD) (\S+) HTTP\/1\.[01]\r?$/;

/**
 * An outbound HTTP proxy as plants have them: absolute-form requests for http targets are
 * forwarded, CONNECT opens a TCP tunnel; with `auth`, anything without that Basic
 * Proxy-Authorization is answered 407. Tunnelled traffic to an http target (the simulator) is
 * read as it passes, so a test can tell which requests took the tunnel.
 */
export async function startForwardProxy(options: { auth?: { user: string; password: string } } = {}): Promise<ForwardProxy> {
  let expected = options.auth === undefined ? undefined : `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`;
  const sockets = new Set<Socket>();
  // Filled in as traffic passes; the same object is handed back, so the test reads it live.
  const proxy: Omit<ForwardProxy, 'url' | 'refuseFromNowOn' | 'close'> = { connects: [], requests: [], refused: 0 };
  const allowed = (req: IncomingMessage): boolean => {
    if (expected === undefined || req.headers['proxy-authorization'] === expected) return true;
    proxy.refused++;
    return false;
  };

  const server = createServer((req, res) => {
    if (!allowed(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="plant"', 'content-length': '0' }).end();
      return;
    }
    const target = new URL(req.url ?? '/');
    proxy.requests.push(`${req.method} ${target.pathname}${target.search}`);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers }, (ures) => {
      res.writeHead(ures.statusCode ?? 502, ures.headers);
      ures.pipe(res);
    });
    up.on('error', () => res.writeHead(502, { 'content-length': '0' }).end());
    req.pipe(up);
  });

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    proxy.connects.push(req.url ?? '');
    client.on('error', () => undefined);
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="plant"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      let partial = '';
      const sniff = (chunk: Buffer): void => {
        const lines = (partial + chunk.toString('latin1')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const m = REQUEST_LINE.exec(line);
          if (m !== null) proxy.requests.push(`${m[1]} ${m[2]}`);
        }
      };
      if (head.length > 0) sniff(head);
      upstream.write(head);
      client.on('data', sniff);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    client.on('close', () => upstream.destroy());
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    refuseFromNowOn: () => {
      expected = 'nothing matches this';
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  });
}
