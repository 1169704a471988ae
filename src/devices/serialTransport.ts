import { autoDetect, BindingsError, LinuxBinding, type BindingInterface, type BindingPortInterface, type LinuxOpenOptions, type LinuxPortBinding, type OpenOptions } from '@serialport/bindings-cpp';
import { SerialPortStream } from '@serialport/stream';
import { EventEmitter } from 'node:events';
import { readSync, writeSync } from 'node:fs';
import { PtgwError } from '../core/errors.js';
import type { ByteStream, DeviceTarget } from './ByteStream.js';

/** The one file that touches serialport (its stream, and its Linux binding for opening, termios and locking). */

/** libuv's uv_poll_event bits, as the library's Poller takes them. */
const POLL_FLAG = { readable: 1, writable: 2 } as const;

function wouldBlock(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
}

/**
 * serialport's Linux port with its reads and writes done on the event loop. The library reads
 * with fs.read in libuv's thread pool (4 threads for the whole process): every frame costs two
 * hand-offs to a pool thread and back, and a reply a third, so with dozens of terminals on two
 * cores the replies queue behind each other and behind every other user of the pool. The fd is
 * opened O_NONBLOCK, so after the poller says "readable" (epoll on the loop) a read(2) returns at
 * once; a write(2) of a reply either fits the tty buffer or returns EAGAIN, and then we wait for
 * "writable". Opening, termios, locking, modem bits and close stay the library's.
 */
class LoopIoPort implements BindingPortInterface {
  readonly #inner: LinuxPortBinding;
  #writing: Promise<void> = Promise.resolve();
  #waitingFor = 0;

  constructor(inner: LinuxPortBinding) {
    this.#inner = inner;
  }

  get openOptions(): LinuxPortBinding['openOptions'] {
    return this.#inner.openOptions;
  }

  get isOpen(): boolean {
    return this.#inner.isOpen;
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    for (;;) {
      await this.#when('readable');
      let bytesRead: number;
      try {
        bytesRead = readSync(this.#fd(), buffer, offset, length, null);
      } catch (err) {
        if (wouldBlock(err)) continue;
        throw err;
      }
      // A hung-up tty (adapter pulled) normally fails the poll first; should read(2) get there
      // first it returns 0, end of file: a disconnect, never a reason to read again at once.
      if (bytesRead === 0) throw new Error('the device hung up');
      return { buffer, bytesRead };
    }
  }

  write(buffer: Buffer): Promise<void> {
    this.#writing = this.#writeAll(buffer);
    return this.#writing;
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  update(options: Parameters<LinuxPortBinding['update']>[0]): Promise<void> {
    return this.#inner.update(options);
  }

  set(options: Parameters<LinuxPortBinding['set']>[0]): Promise<void> {
    return this.#inner.set(options);
  }

  get(): ReturnType<LinuxPortBinding['get']> {
    return this.#inner.get();
  }

  getBaudRate(): Promise<{ baudRate: number }> {
    return this.#inner.getBaudRate();
  }

  flush(): Promise<void> {
    return this.#inner.flush();
  }

  async drain(): Promise<void> {
    await this.#writing;
    await this.#inner.drain();
  }

  async #writeAll(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      try {
        offset += writeSync(this.#fd(), buffer, offset, buffer.length - offset);
      } catch (err) {
        if (!wouldBlock(err)) throw err;
        await this.#when('writable');
      }
    }
  }

  #fd(): number {
    const fd = this.#inner.fd;
    // serialport expects reads and writes cut short by close() to fail with `canceled`.
    if (fd === null) throw new BindingsError('Port is not open', { canceled: true });
    return fd;
  }

  /**
   * Waits for the fd to be readable or writable. The library's Poller.once starts the uv poll
   * with that one event only, dropping the other one a concurrent read or write waits for (a
   * reply written while a read is pending would then wait forever); so the poll is always started
   * with everything this port waits for.
   */
  #when(event: 'readable' | 'writable'): Promise<void> {
    this.#fd();
    const poller = this.#inner.poller;
    const flag = POLL_FLAG[event];
    this.#waitingFor |= flag;
    return new Promise((resolve, reject) => {
      const done = (err?: Error | null): void => {
        poller.removeListener(event, done);
        this.#waitingFor &= ~flag;
        if (err) reject(err);
        else resolve();
      };
      poller.on(event, done);
      poller.poll(this.#waitingFor);
    });
  }
}

const loopIoBinding: BindingInterface<LoopIoPort, OpenOptions> = {
  list: () => LinuxBinding.list(),
  // Profiles may say mark or space parity; Linux's native side refuses them at open with its own message.
  open: async (options) => new LoopIoPort(await LinuxBinding.open(options as LinuxOpenOptions)),
};

/** On Linux, where ptgw runs, the loop-I/O port; elsewhere (a developer's machine) serialport's own. */
const binding: BindingInterface = process.platform === 'linux' ? loopIoBinding : autoDetect();

class SerialStream extends EventEmitter implements ByteStream {
  #closed = false;

  constructor(private readonly port: SerialPortStream) {
    super();
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    // 'error' after open means the device failed (e.g. EIO when a USB adapter is pulled).
    port.on('error', (err: Error) => this.#end(err));
    port.on('close', (err?: Error | null) => this.#end(err ?? undefined));
  }

  /**
   * Resolves once the bytes are handed to the kernel. No drain (tcdrain): at 9600 baud it holds a
   * libuv pool thread for the whole transmission, and a few dozen terminals would queue every
   * other port's writes behind it.
   */
  write(data: Buffer): Promise<void> {
    // serialport keeps a write made while the port closes (after a hang-up, say) for an 'open' that never comes: the
    // terminal's dialog would wait on it for good. A write in flight when it closes fails on its own.
    if (this.#closed || !this.port.isOpen) return Promise.reject(new Error('the port is closed'));
    return new Promise((resolve, reject) => {
      this.port.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  close(): Promise<void> {
    if (this.#closed || !this.port.isOpen) {
      this.#end(undefined);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.port.close(() => {
        this.#end(undefined);
        resolve();
      });
    });
  }

  #end(err: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close', err);
  }
}

/**
 * The error for a port that did not open. A port the user may not open is the usual first-day
 * mistake on a new box: the library's "Permission denied" alone does not say what to change.
 */
export function serialOpenFailed(path: string, err: Error): PtgwError {
  const denied = /permission denied|EACCES/i.test(err.message) || (err as NodeJS.ErrnoException).code === 'EACCES';
  const hint = denied ? '; the user ptgw runs as must be in the group that owns the port, usually dialout (the systemd unit adds it: SupplementaryGroups=dialout)' : '';
  return new PtgwError('DEVICE_OPEN_FAILED', `Cannot open serial port ${path}: ${err.message}${hint}.`, { cause: err });
}

export function openSerial(target: Extract<DeviceTarget, { transport: 'serial' }>): Promise<ByteStream> {
  const port = new SerialPortStream({
    binding,
    path: target.path,
    baudRate: target.baudRate,
    dataBits: target.dataBits,
    parity: target.parity,
    stopBits: target.stopBits,
    rtscts: target.rtscts,
    autoOpen: false,
    // Exclusive access: a second process on the same terminal would steal half the frames.
    lock: true,
  });
  return new Promise((resolve, reject) => {
    port.open((err) => {
      if (err) {
        reject(serialOpenFailed(target.path, err));
        return;
      }
      resolve(new SerialStream(port));
    });
  });
}

export interface SerialPortInfo {
  path: string;
  /** The /dev/serial/by-id/... name udev gives the port: unlike ttyUSBn it stays the same after a re-plug or reboot. */
  byIdPath: string | undefined;
  manufacturer: string | undefined;
  serialNumber: string | undefined;
  vendorId: string | undefined;
  productId: string | undefined;
}

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  const ports = await binding.list();
  return ports.map((p) => ({ path: p.path, byIdPath: p.pnpId === undefined ? undefined : `/dev/serial/by-id/${p.pnpId}`, manufacturer: p.manufacturer, serialNumber: p.serialNumber, vendorId: p.vendorId, productId: p.productId }));
}
