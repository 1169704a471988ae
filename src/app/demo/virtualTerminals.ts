import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { ByteStream } from '../../devices/ByteStream.js';
import { openSerial } from '../../devices/serialTransport.js';
import { isPtgwError } from '../../core/errors.js';
import { PtyPair } from './PtyPair.js';

/** A keypad terminal of `ptgw demo`: how the gateway reaches it, and its other end for typing. */
export interface VirtualTerminal {
  /** The config entry of its device (id added by the caller). */
  device: Record<string, unknown>;
  /** How a person types into it, or undefined when the demo forwards its own input. */
  howToType: string | undefined;
  /** The terminal's end, for the demo's script or its own prompt. */
  open(): Promise<ByteStream>;
  stop(): Promise<void>;
}

class SocketStream extends EventEmitter implements ByteStream {
  constructor(private readonly socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => this.emit('data', chunk));
    socket.on('close', () => this.emit('close'));
  }

  write(data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    this.socket.destroy();
    return Promise.resolve();
  }
}

/** Over a pseudo-terminal pair made by socat: the gateway opens it as a serial port. */
async function ptyTerminal(dir: string, name: string): Promise<VirtualTerminal> {
  const pair = new PtyPair(dir, name);
  await pair.start();
  return {
    device: { profile: 'generic-keypad', path: pair.gatewayPath },
    howToType: `socat STDIO ${pair.terminalPath},raw,echo=0,crlf`,
    open: () => openSerial({ transport: 'serial', path: pair.terminalPath, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false }),
    stop: () => pair.stop(),
  };
}

/** Without socat: a local TCP port standing in for a serial device server (the tcp-keypad profile). */
async function tcpTerminal(): Promise<VirtualTerminal> {
  let gatewaySide: Socket | undefined;
  const waiting: ((s: Socket) => void)[] = [];
  const server: Server = createServer((socket) => {
    gatewaySide = socket;
    for (const w of waiting.splice(0)) w(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    device: { profile: 'tcp-keypad', host: '127.0.0.1', port },
    howToType: undefined,
    open: async () => new SocketStream(gatewaySide ?? (await new Promise<Socket>((resolve) => waiting.push(resolve)))),
    stop: () =>
      new Promise<void>((resolve) => {
        gatewaySide?.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Pseudo-terminals when socat is there, local TCP terminals otherwise — the demo runs either way. */
export async function virtualTerminals(dir: string, names: readonly string[]): Promise<{ terminals: VirtualTerminal[]; kind: 'pty' | 'tcp' }> {
  const terminals: VirtualTerminal[] = [];
  try {
    for (const name of names) terminals.push(await ptyTerminal(dir, name));
    return { terminals, kind: 'pty' };
  } catch (err) {
    if (!isPtgwError(err, 'DEVICE_UNAVAILABLE')) throw err;
    await Promise.all(terminals.map((t) => t.stop()));
    const tcp: VirtualTerminal[] = [];
    for (let i = 0; i < names.length; i++) tcp.push(await tcpTerminal());
    return { terminals: tcp, kind: 'tcp' };
  }
}
