import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isPtgwError } from '../../../../src/core/errors.js';
import type { InputEvent } from '../../../../src/devices/FrameClassifier.js';
import { DeviceConnection } from '../../../../src/devices/DeviceConnection.js';
import { loadNodeHid, type HidBackend, type HidDeviceInfo, type HidHandle } from '../../../../src/devices/hid/hidTransport.js';
import { loadProfiles } from '../../../../src/devices/loadProfiles.js';
import { createOpenDevice } from '../../../../src/devices/openDevice.js';
import { silentLogger } from '../../../support/silentLogger.js';
import { waitFor } from '../../../support/waitFor.js';

/** A scanner that is not there: the fake stands in for node-hid, the reader code is the real one. */
class FakeHidDevice extends EventEmitter implements HidHandle {
  closed = false;
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function backend(devices: HidDeviceInfo[], handle: FakeHidDevice): () => Promise<HidBackend> {
  return () => Promise.resolve({ devices: () => Promise.resolve(devices), open: () => Promise.resolve(handle) });
}

const profiles = loadProfiles();
const US_KEY = { '0': 0x27, '2': 0x1f, '6': 0x23 } as const;

describe('HID scanners through the real reader code', () => {
  it('turns keyboard-wedge reports from a plugged-in scanner into a code event', async () => {
    const device = new FakeHidDevice();
    const profile = profiles.get('keyboard-wedge-us');
    if (profile === undefined) throw new Error('profile');
    const conn = new DeviceConnection({
      id: 'scan1',
      profile,
      target: { transport: 'hid', match: { vendorId: 0x05e0 }, mode: 'keyboard-wedge', keymap: 'us' },
      open: createOpenDevice(backend([{ vendorId: 0x05e0, productId: 0x1200, path: '/dev/hidraw3' }], device)),
      logger: silentLogger(),
    });
    const events: InputEvent[] = [];
    conn.on('input', (e: InputEvent) => events.push(e));
    conn.start();
    await waitFor(() => expect(conn.status.connected).toBe(true));
    for (const ch of '00026') {
      device.emit('data', Buffer.from([0, 0, US_KEY[ch as keyof typeof US_KEY], 0, 0, 0, 0, 0]));
      device.emit('data', Buffer.alloc(8));
    }
    device.emit('data', Buffer.from([0, 0, 0x28, 0, 0, 0, 0, 0]));
    await waitFor(() => expect(events).toEqual([{ type: 'code', value: '00026', caseless: false }]));
    await conn.stop();
    expect(device.closed).toBe(true);
  });

  it('delivers a whole HID POS scan, every character of it, as a code or a badge', async () => {
    const device = new FakeHidDevice();
    const profile = profiles.get('hid-pos-scanner');
    if (profile === undefined) throw new Error('profile');
    const conn = new DeviceConnection({
      id: 'scan4',
      profile,
      target: { transport: 'hid', match: { vendorId: 0x05e0, productId: 0x1200 }, mode: 'hid-pos' },
      open: createOpenDevice(backend([{ vendorId: 0x05e0, productId: 0x1200, path: '/dev/hidraw5' }], device)),
      logger: silentLogger(),
    });
    const events: InputEvent[] = [];
    conn.on('input', (e: InputEvent) => events.push(e));
    conn.start();
    await waitFor(() => expect(conn.status.connected).toBe(true));
    // Scanned-data reports as a Honeywell scanner sends them: byte 1 counts the data after the AIM id.
    const scan = (aim: string, data: string): Buffer => {
      const r = Buffer.alloc(64);
      r[0] = 0x02;
      r[1] = data.length;
      r.write(aim + data, 2, 'latin1');
      return r;
    };
    device.emit('data', scan(']C1', '00026'));
    device.emit('data', scan(']C1', 'BADGE0001234'));
    await waitFor(() => expect(events).toEqual([{ type: 'code', value: '00026', caseless: false }, { type: 'badge', value: '0001234' }]));
    await conn.stop();
  });

  it('keeps looking for a scanner that is not plugged in, and reports it', async () => {
    const profile = profiles.get('hid-pos-scanner');
    if (profile === undefined) throw new Error('profile');
    const conn = new DeviceConnection({
      id: 'scan2',
      profile,
      target: { transport: 'hid', match: { vendorId: 0x05e0, productId: 0x1200 }, mode: 'hid-pos' },
      open: createOpenDevice(backend([{ vendorId: 0x1234, productId: 1, path: '/dev/hidraw0' }], new FakeHidDevice())),
      logger: silentLogger(),
    });
    conn.start();
    await waitFor(() => expect(conn.status.errors).toBeGreaterThan(0));
    expect(conn.status.connected).toBe(false);
    expect(conn.status.lastError).toContain('No HID device matching');
    await conn.stop();
  });

  it('finds a scanner plugged in after start-up (hot-plug) and reads it', async () => {
    const device = new FakeHidDevice();
    const plugged: HidDeviceInfo[] = [];
    const profile = profiles.get('keyboard-wedge-us');
    if (profile === undefined) throw new Error('profile');
    const conn = new DeviceConnection({
      id: 'scan3',
      profile,
      target: { transport: 'hid', match: { vendorId: 0x0c2e }, mode: 'keyboard-wedge', keymap: 'us' },
      open: createOpenDevice(() => Promise.resolve({ devices: () => Promise.resolve([...plugged]), open: () => Promise.resolve(device) })),
      logger: silentLogger(),
    });
    const events: InputEvent[] = [];
    conn.on('input', (e: InputEvent) => events.push(e));
    conn.start();
    await waitFor(() => expect(conn.status.errors).toBeGreaterThan(0));
    expect(conn.status.connected).toBe(false);
    plugged.push({ vendorId: 0x0c2e, productId: 0x0b8f, path: '/dev/hidraw7' });
    // The next reconnect attempt (1 s backoff) re-scans and finds it.
    await waitFor(() => expect(conn.status.connected).toBe(true), { timeoutMs: 5000 });
    device.emit('data', Buffer.from([0, 0, US_KEY['2'], 0, 0, 0, 0, 0]));
    device.emit('data', Buffer.alloc(8));
    device.emit('data', Buffer.from([0, 0, 0x28, 0, 0, 0, 0, 0]));
    await waitFor(() => expect(events).toEqual([{ type: 'code', value: '2', caseless: false }]));
    // Unplugged again: the reader notices and goes back to looking for it.
    device.emit('error', new Error('could not read from HID device'));
    await waitFor(() => expect(conn.status.connected).toBe(false));
    await conn.stop();
  });

  it('loads node-hid, or explains why HID cannot work on this machine', async () => {
    try {
      const hid = await loadNodeHid();
      expect(Array.isArray(await hid.devices())).toBe(true);
    } catch (err) {
      expect(isPtgwError(err, 'DEVICE_UNAVAILABLE')).toBe(true);
      expect((err as Error).message).toContain('libusb');
    }
  });
});
