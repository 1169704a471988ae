import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { PtgwError } from '../core/errors.js';
import type { ByteStream, DeviceTarget } from './ByteStream.js';

/** The one file that touches `serialport`. */
class SerialStream extends EventEmitter implements ByteStream {
  #closed = false;

  constructor(private readonly port: SerialPort) {
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

export function openSerial(target: Extract<DeviceTarget, { transport: 'serial' }>): Promise<ByteStream> {
  const port = new SerialPort({
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
        reject(new PtgwError('DEVICE_OPEN_FAILED', `Cannot open serial port ${target.path}: ${err.message}.`, { cause: err }));
        return;
      }
      resolve(new SerialStream(port));
    });
  });
}

export interface SerialPortInfo {
  path: string;
  manufacturer: string | undefined;
  serialNumber: string | undefined;
  vendorId: string | undefined;
  productId: string | undefined;
}

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  const ports = await SerialPort.list();
  return ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer, serialNumber: p.serialNumber, vendorId: p.vendorId, productId: p.productId }));
}
