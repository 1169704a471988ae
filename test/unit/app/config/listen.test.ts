import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenFailed, parseListen } from '../../../../src/app/config/listen.js';

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    ['0.0.0.0:80', { host: '0.0.0.0', port: 80 }],
    ['localhost:9000', { host: 'localhost', port: 9000 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['[::]:0', { host: '::', port: 0 }],
  ])('reads %s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each(['127.0.0.1', ':8080', '::1:8080', '[::1]', '[nope]:80', 'host:65536', 'host:port', 'a b:80', ''])('refuses %j', (text) => {
    expect(parseListen(text)).toBeUndefined();
  });
});

/** The error a real server gets listening on `host:port`. */
function listenError(host: string, port: number): Promise<Error> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', resolve);
    server.listen(port, host, () => server.close(() => reject(new Error(`listening on ${host}:${port} worked`))));
  });
}

describe('listenFailed', () => {
  it('names http.listen, the address and what EADDRINUSE means, keeping the cause', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const cause = await listenError('127.0.0.1', port);
      const err = listenFailed({ host: '127.0.0.1', port }, cause);
      expect(err).toMatchObject({ code: 'HTTP_LISTEN_FAILED', field: 'http.listen', cause });
      expect(err.message).toContain(`http.listen 127.0.0.1:${port}`);
      expect(err.message).toContain('in use by another program');
    } finally {
      blocker.close();
    }
  });

  it('says an address that is none of this machine is not one of its addresses', async () => {
    // 192.0.2.0/24 is TEST-NET-1: documentation only, never an address of this machine.
    const cause = await listenError('192.0.2.1', 18392);
    const err = listenFailed({ host: '192.0.2.1', port: 18392 }, cause);
    expect(err).toMatchObject({ code: 'HTTP_LISTEN_FAILED', field: 'http.listen', cause });
    expect(err.message).toContain('http.listen 192.0.2.1:18392');
    expect(err.message).toContain('not an address of this machine');
  });

  it('says a port below 1024 needs privileges on EACCES', () => {
    // Tests run as root here, where binding port 80 works: the error Node gives an unprivileged user.
    const cause = Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), { code: 'EACCES', errno: -13, syscall: 'listen', address: '0.0.0.0', port: 80 });
    const err = listenFailed({ host: '0.0.0.0', port: 80 }, cause);
    expect(err).toMatchObject({ code: 'HTTP_LISTEN_FAILED', field: 'http.listen', cause });
    expect(err.message).toContain('http.listen 0.0.0.0:80');
    expect(err.message).toContain('below 1024');
    expect(err.message).toContain('privileges');
  });

  it('brackets an IPv6 host as http.listen is written', () => {
    const err = listenFailed({ host: '::1', port: 8080 }, Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }));
    expect(err.message).toContain('http.listen [::1]:8080');
  });
});
