import type { EventEmitter } from 'node:events';

/**
 * An open connection to a device, whatever its transport: bytes in as 'data' events, bytes out
 * through write. 'close' fires once when the device goes away (unplugged, reset, closed), with
 * the error when there was one. Tests plug a fake of this interface; production code has no test
 * branches.
 */
export interface ByteStream extends EventEmitter {
  write(data: Buffer): Promise<void>;
  close(): Promise<void>;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error) => void): this;
}

export type DeviceTarget =
  | { transport: 'serial'; path: string; baudRate: number; dataBits: 5 | 6 | 7 | 8; parity: 'none' | 'even' | 'odd' | 'mark' | 'space'; stopBits: 1 | 1.5 | 2; rtscts: boolean }
  | { transport: 'tcp'; host: string; port: number }
  | { transport: 'hid'; match: { vendorId?: number; productId?: number; serialNumber?: string; path?: string; usagePage?: number }; mode: 'keyboard-wedge' | 'hid-pos'; keymap?: 'us' | 'be-azerty' };

/** Opens a device; rejects with PtgwError DEVICE_OPEN_FAILED (retryable) or DEVICE_UNAVAILABLE. */
export type OpenDevice = (target: DeviceTarget) => Promise<ByteStream>;
