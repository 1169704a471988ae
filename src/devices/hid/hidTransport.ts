import { EventEmitter } from 'node:events';
import { PtgwError } from '../../core/errors.js';
import type { ByteStream, DeviceTarget } from '../ByteStream.js';
import { KEYMAPS } from './keymaps.js';
import { HidPosDecoder, KeyboardWedgeDecoder, type ReportDecoder } from './reportDecoders.js';

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  product?: string | undefined;
  manufacturer?: string | undefined;
  usagePage?: number | undefined;
}

/** An open HID device: input reports as 'data', failures as 'error'. */
export interface HidHandle extends EventEmitter {
  close(): Promise<void>;
}

/** What ptgw needs of a HID library; node-hid in production, a fake device in tests. */
export interface HidBackend {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidHandle>;
}

/**
 * The one place that loads node-hid, and only when a HID device is configured or listed: on a
 * machine without libusb/hidraw the daemon runs on, and only the HID device reports the problem.
 */
export async function loadNodeHid(): Promise<HidBackend> {
  try {
    const hid = await import('node-hid');
    const backend: HidBackend = {
      devices: () => hid.devicesAsync(),
      open: async (path) => (await hid.HIDAsync.open(path)) as unknown as HidHandle,
    };
    // The native binding loads on first use: make that happen here, where the error is explained.
    await backend.devices();
    return backend;
  } catch (cause) {
    throw new PtgwError(
      'DEVICE_UNAVAILABLE',
      `HID devices cannot be used on this machine: ${(cause as Error).message} (install libusb-1.0-0 and libudev1, and give ptgw access to /dev/hidraw*).`,
      { cause },
    );
  }
}

class HidStream extends EventEmitter implements ByteStream {
  #closed = false;

  constructor(private readonly handle: HidHandle, decoder: ReportDecoder) {
    super();
    handle.on('data', (report: Buffer) => {
      const text = decoder.decode(report);
      if (text !== '') this.emit('data', Buffer.from(text, 'latin1'));
    });
    handle.on('error', (err: Error) => {
      void this.handle.close().catch(() => undefined);
      this.#end(err);
    });
  }

  /** Scanners have no display; replies are not sent to them. */
  write(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (!this.#closed) await this.handle.close().catch(() => undefined);
    this.#end(undefined);
  }

  #end(err: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close', err);
  }
}

export function matches(d: HidDeviceInfo, m: Extract<DeviceTarget, { transport: 'hid' }>['match']): boolean {
  return (
    (m.vendorId === undefined || d.vendorId === m.vendorId) &&
    (m.productId === undefined || d.productId === m.productId) &&
    (m.serialNumber === undefined || d.serialNumber === m.serialNumber) &&
    (m.path === undefined || d.path === m.path) &&
    (m.usagePage === undefined || d.usagePage === m.usagePage)
  );
}

/** Finds the configured device among those plugged in (re-scanned on every reconnect: hot-plug) and opens it. */
export async function openHid(target: Extract<DeviceTarget, { transport: 'hid' }>, backend: () => Promise<HidBackend>): Promise<ByteStream> {
  const hid = await backend();
  const found = (await hid.devices()).find((d) => d.path !== undefined && matches(d, target.match));
  if (found === undefined) {
    throw new PtgwError('DEVICE_OPEN_FAILED', `No HID device matching ${JSON.stringify(target.match)} is plugged in.`);
  }
  let handle: HidHandle;
  try {
    handle = await hid.open(found.path as string);
  } catch (cause) {
    throw new PtgwError('DEVICE_OPEN_FAILED', `Cannot open HID device ${found.path}: ${(cause as Error).message} (check the udev rule for hidraw permissions).`, { cause });
  }
  const decoder = target.mode === 'hid-pos' ? new HidPosDecoder() : new KeyboardWedgeDecoder(KEYMAPS[target.keymap ?? 'us']);
  return new HidStream(handle, decoder);
}
