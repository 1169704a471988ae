import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Rewrite = (method: string, path: string, status: number, headers: Record<string, unknown>, body: string, requestHeaders?: Record<string, unknown>) => { status: number; headers: Record<string, unknown>; body: string } | undefined;

/** A pass-through HTTP proxy in front of the simulator that can rewrite its answers: for answer shapes the simulator never gives. */
export async function startProxy(target: string, rewrite: Rewrite): Promise<{ url: string; close: () => Promise<void> }> {
  const t = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (ures) => {
        const uc: Buffer[] = [];
        ures.on('data', (c: Buffer) => uc.push(c));
        ures.on('end', () => {
          const body = Buffer.concat(uc).toString('utf8');
          const headers = { ...ures.headers } as Record<string, unknown>;
          const out = rewrite(req.method ?? 'GET', req.url ?? '/', ures.statusCode ?? 500, headers, body, req.headers) ?? { status: ures.statusCode ?? 500, headers, body };
          const h = { ...out.headers } as Record<string, string>;
          delete h['transfer-encoding'];
          h['content-length'] = String(Buffer.byteLength(out.body));
          if (out.body === '') delete h['content-type'];
          res.writeHead(out.status, h);
          res.end(out.body);
        });
      });
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
