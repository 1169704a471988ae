import { readdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../../src/devices/DeviceConnection.js';
import { loadProfiles } from '../../../src/devices/loadProfiles.js';
import { createOpenDevice } from '../../../src/devices/openDevice.js';
import { silentLogger } from '../../support/silentLogger.js';
import { SocatPair } from '../../support/socatPair.js';
import { useTempDir } from '../../support/tempDir.js';
import { waitFor } from '../../support/waitFor.js';

/**
 * A factory box runs for years while terminals are unplugged, device servers rebooted and ports
 * vanish. Every loss and failed open must give back what it took: file descriptors, libuv handles
 * and timers, listeners. Each test cycles a real device 100 times and compares the counts with those
 * before, in the same state (connected, the other side up).
 */
const CYCLES = 100;
const SERIAL = { transport: 'serial', baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false } as const;
// Fast retries, so that 100 cycles with failed opens in between take seconds, not hours.
const BACKOFF = { min: 5, max: 20 };
const profiles = loadProfiles();
const tempDir = useTempDir();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Held {
  fds: number;
  /** libuv handles and requests by type (sockets, ttys, pipes...), timers apart. */
  handles: Record<string, number>;
  timers: number;
  listeners: number;
}

/** What this process holds for the device, and the test's own child process and server. */
function held(device: DeviceConnection): Held {
  const handles: Record<string, number> = {};
  let timers = 0;
  for (const r of process.getActiveResourcesInfo()) {
    if (r === 'Timeout') timers++;
    else handles[r] = (handles[r] ?? 0) + 1;
  }
  return { fds: readdirSync('/proc/self/fd').length, handles, timers, listeners: device.eventNames().reduce((n, e) => n + device.listenerCount(e), 0) };
}

/** Back to the counts of `before`; timers at most as many (a short-lived one of the first connect may still have been pending then). */
async function expectBackTo(device: DeviceConnection, before: Held): Promise<void> {
  await waitFor(() => {
    const now = held(device);
    expect({ ...now, timers: Math.max(now.timers, before.timers) }, `now ${JSON.stringify(now)}, before ${JSON.stringify(before)}`).toEqual(before);
  });
}

function profile(name: string): NonNullable<ReturnType<typeof profiles.get>> {
  const p = profiles.get(name);
  if (p === undefined) throw new Error(`profile ${name}`);
  return p;
}

describe('device reconnects over a long time', () => {
  it('leave no file descriptor, handle, timer or listener behind after a serial port is unplugged and replugged 100 times', async () => {
    const pair = await new SocatPair(tempDir(), 'kp').start();
    cleanup.push(() => pair.kill());
    const device = new DeviceConnection({ id: 'kp1', profile: profile('generic-keypad'), target: { ...SERIAL, path: pair.gatewayPath }, open: createOpenDevice(), logger: silentLogger(), backoffMs: BACKOFF });
    cleanup.push(() => device.stop());
    device.on('input', () => undefined);
    device.start();
    await waitFor(() => expect(device.status.connected).toBe(true));
    const before = held(device);
    for (let i = 0; i < CYCLES; i++) {
      await pair.kill();
      await waitFor(() => expect(device.status.connected).toBe(false));
      await pair.start();
      await waitFor(() => expect(device.status.connected).toBe(true));
    }
    // The failed opens while the port was gone are among the errors counted.
    expect(device.status.errors).toBeGreaterThan(CYCLES);
    await expectBackTo(device, before);
  }, 120_000);

  it('leave no file descriptor, handle, timer or listener behind after a device server goes away and comes back 100 times', async () => {
    let server: Server | undefined;
    const sockets = new Set<Socket>();
    const listen = (port: number): Promise<number> =>
      new Promise((resolve) => {
        server = createServer((s) => {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
        });
        server.listen(port, '127.0.0.1', () => resolve((server?.address() as { port: number }).port));
      });
    const down = (): Promise<void> =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server?.close(() => resolve());
      });
    const port = await listen(0);
    cleanup.push(down);
    const device = new DeviceConnection({ id: 'gate2', profile: profile('tcp-keypad'), target: { transport: 'tcp', host: '127.0.0.1', port }, open: createOpenDevice(), logger: silentLogger(), backoffMs: BACKOFF });
    cleanup.push(() => device.stop());
    device.start();
    await waitFor(() => expect(device.status.connected && sockets.size === 1).toBe(true));
    const before = held(device);
    for (let i = 0; i < CYCLES; i++) {
      await down();
      await waitFor(() => expect(device.status.connected).toBe(false));
      await listen(port);
      await waitFor(() => expect(device.status.connected && sockets.size === 1).toBe(true));
    }
    expect(device.status.errors).toBeGreaterThanOrEqual(CYCLES);
    await expectBackTo(device, before);
  }, 120_000);
});
