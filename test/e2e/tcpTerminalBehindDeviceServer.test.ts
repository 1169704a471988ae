import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/app/Gateway.js';
import { loadConfig } from '../../src/app/config/loadConfig.js';
import { startSimulator, loadFixture } from '../../src/simulator/index.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { silentLogger } from '../support/silentLogger.js';
import { DEMO_FIXTURE, DEMO_SV } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const tempDir = useTempDir();


describe('a TCP terminal behind a serial device server', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))));

  it('speaks the same protocol over TCP', async () => {
    const sockets: Socket[] = [];
    server = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    const file = writeGatewayConfig(tempDir(), sim.url, {
      devices: [{ id: 'gate2', profile: 'tcp-keypad', host: '127.0.0.1', port }],
      terminals: [{ id: 'gate2', devices: ['gate2'], structureVersion: DEMO_SV, levels: [1, 2, 3], upstream: { externalCode: 'T8' } }],
    });
    const gateway = new Gateway({ config: loadConfig({ path: file, env: {} }), logger: silentLogger() });
    try {
      await gateway.start({ listen: false });
      await gateway.sync.run({ full: true });
      await waitFor(() => expect(sockets).toHaveLength(1));
      const socket = sockets[0] as Socket;
      let received = '';
      socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
      socket.write('B0001234\r\nK3\r\nK300\r\nK3001\r\n');
      await waitFor(() => expect(received).toBe('PLevel 1\r\nPLogistics Level 2\r\nPOrder 300 In Level 3\r\nAUnloading\r\n'));
      // The device server drops the connection: the gateway reconnects.
      socket.destroy();
      await waitFor(() => expect(sockets).toHaveLength(2), { timeoutMs: 10_000 });
    } finally {
      for (const s of sockets) s.destroy();
      await gateway.stop();
      await sim.close();
    }
  });
});
