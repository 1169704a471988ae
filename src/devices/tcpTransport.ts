import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { PtgwError } from '../core/errors.js';
import type { ByteStream, DeviceTarget } from './ByteStream.js';

const CONNECT_TIMEOUT_MS = 10_000;
const KEEPALIVE_MS = 15_000;

/** A terminal behind a serial device server (TCP server mode): keepalive finds dead links. */
class TcpStream extends EventEmitter implements ByteStream {
  #closed = false;

  constructor(private readonly socket: Socket) {
    super();
    socket.on('data', (chunk: Buffer) => this.emit('data', chunk));
    socket.on('error', (err) => this.#end(err));
    socket.on('close', () => this.#end(undefined));
    socket.on('end', () => socket.end());
  }

  write(data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    this.socket.destroy();
    this.#end(undefined);
    return Promise.resolve();
  }

  #end(err: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close', err);
  }
}

export function openTcp(target: Extract<DeviceTarget, { transport: 'tcp' }>): Promise<ByteStream> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, noDelay: true, keepAlive: true, keepAliveInitialDelay: KEEPALIVE_MS });
    const fail = (err: Error): void => {
      socket.destroy();
      reject(new PtgwError('DEVICE_OPEN_FAILED', `Cannot connect to ${target.host}:${target.port}: ${err.message}.`, { cause: err }));
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => fail(new Error('timed out')));
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.off('error', fail);
      resolve(new TcpStream(socket));
    });
  });
}
