import { afterEach, describe, expect, it, vi } from 'vitest';
import { PtgwError } from '../../../src/core/errors.js';
import { DeviceConnection } from '../../../src/devices/DeviceConnection.js';
import { loadProfiles } from '../../../src/devices/loadProfiles.js';
import { MockStream } from '../../support/MockStream.js';
import { silentLogger } from '../../support/silentLogger.js';
import { waitFor } from '../../support/waitFor.js';

const keypad = loadProfiles().get('generic-keypad');
if (keypad === undefined) throw new Error('generic-keypad');
const PROFILE = keypad;
const TARGET = { transport: 'tcp', host: 'device-server', port: 4001 } as const;
const ACCEPT = { kind: 'accept', level: 3, code: '26', name: 'Cleaning', text: 'accepted' } as const;

/** A link whose writes never complete, as a device server that stopped reading. */
class StuckStream extends MockStream {
  override write(data: Buffer): Promise<void> {
    this.writes.push(data);
    return new Promise(() => undefined);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a device connection', () => {
  it('gives up on a reply still not written after the write timeout, counts it and reopens the device', async () => {
    const streams: MockStream[] = [];
    const device = new DeviceConnection({
      id: 'kp1',
      profile: PROFILE,
      target: TARGET,
      open: () => {
        const s = streams.length === 0 ? new StuckStream() : new MockStream();
        streams.push(s);
        return Promise.resolve(s);
      },
      logger: silentLogger(),
      writeTimeoutMs: 50,
    });
    const errors: string[] = [];
    device.on('device-error', (m: string) => errors.push(m));
    device.start();
    await waitFor(() => expect(device.status.connected).toBe(true));
    await device.send(ACCEPT);
    expect(errors).toEqual([expect.stringMatching(/still not written after 0.05 s/), 'connection lost']);
    expect(streams[0]?.closed).toBe(true);
    // Reopened after the first backoff step, and the next reply goes out on the new link.
    await waitFor(() => expect(device.status.connected).toBe(true));
    await device.send(ACCEPT);
    expect(streams[1]?.lines()).toEqual(['ACleaning']);
    await device.stop();
  });

  it('logs every frame read and every reply written as hex at debug level, and none above it', async () => {
    for (const level of ['debug', 'info'] as const) {
      const lines: string[] = [];
      const stream = new MockStream();
      const logger = silentLogger(lines);
      logger.level = level;
      const device = new DeviceConnection({ id: 'kp1', profile: PROFILE, target: TARGET, open: () => Promise.resolve(stream), logger });
      device.start();
      await waitFor(() => expect(device.status.connected).toBe(true));
      stream.emitData('K26\r\n');
      await device.send(ACCEPT);
      const frames = logged(lines).filter((l) => 'frame' in l).map((l) => `${l.msg} ${(l as { frame?: string }).frame}`);
      expect(frames).toEqual(level === 'debug' ? ['read 4b32360d0a', 'write 41436c65616e696e670d0a'] : []);
      await device.stop();
    }
  });

  it('backs off against a device that accepts and drops at once, and retries after 1 s again once a link carried a frame', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const opens: number[] = [];
    const streams: MockStream[] = [];
    const start = Date.now();
    const device = new DeviceConnection({
      id: 'kp1',
      profile: PROFILE,
      target: TARGET,
      open: () => {
        opens.push(Date.now() - start);
        const s = new MockStream();
        streams.push(s);
        return Promise.resolve(s);
      },
      logger: silentLogger(),
    });
    const inputs: unknown[] = [];
    device.on('input', (e) => inputs.push(e));
    device.start();
    await vi.advanceTimersByTimeAsync(0);
    streams[0]?.destroy(new Error('reset by peer'));
    await vi.advanceTimersByTimeAsync(1000);
    streams[1]?.destroy(new Error('reset by peer'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(opens).toEqual([0, 1000, 3000]);
    // This link works: a frame arrives before it is lost.
    streams[2]?.emitData('K1\r\n');
    streams[2]?.destroy(new Error('reset by peer'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(opens).toEqual([0, 1000, 3000, 4000]);
    expect(inputs).toHaveLength(1);
    // A link that stayed up for a while was good too, even without a frame.
    await vi.advanceTimersByTimeAsync(60_000);
    streams[3]?.destroy(new Error('reset by peer'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(opens).toEqual([0, 1000, 3000, 4000, 65_000]);
    await device.stop();
  });

  it('logs a port that stays gone once, then once an hour with the count, not every 30 s, and says when it works again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const lines: string[] = [];
    let present = false;
    const stream = new MockStream();
    const device = new DeviceConnection({
      id: 'kp1',
      profile: PROFILE,
      target: TARGET,
      open: () => (present ? Promise.resolve(stream) : Promise.reject(new PtgwError('DEVICE_OPEN_FAILED', 'Cannot open serial port /dev/ttyX: No such file or directory.'))),
      logger: silentLogger(lines),
    });
    device.start();
    // A day without the port: some 2,900 failed opens.
    await vi.advanceTimersByTimeAsync(DAY_MS);
    const warnings = logged(lines).filter((l) => l.level === 40);
    expect(device.status.errors).toBeGreaterThan(2800);
    expect(warnings.length).toBeLessThanOrEqual(25);
    expect(warnings[0]?.msg).toMatch(/^Cannot open serial port \/dev\/ttyX: No such file or directory\. .*once an hour/);
    expect(warnings[1]?.msg).toMatch(/once an hour/);
    expect(warnings[1]?.repeats).toBeGreaterThan(100);
    // Back: once the link has proved itself, one line says so, with how long the run of failures was.
    present = true;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(device.status.connected).toBe(true);
    const info = logged(lines).filter((l) => l.level === 30);
    expect(info.at(-1)?.failures).toBe(device.status.errors);
    // The next loss is news again, logged at once.
    lines.length = 0;
    stream.destroy(new Error('the device hung up'));
    expect(logged(lines).filter((l) => l.level === 40).map((l) => l.msg)).toEqual([expect.stringMatching(/^connection lost: the device hung up/)]);
    await device.stop();
  });

  it('logs a device server that accepts and drops every connection a few times an hour, not on every reconnect', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const lines: string[] = [];
    const device = new DeviceConnection({
      id: 'gate2',
      profile: PROFILE,
      target: TARGET,
      open: () => {
        const s = new MockStream();
        setTimeout(() => s.destroy(new Error('read ECONNRESET')), 10);
        return Promise.resolve(s);
      },
      logger: silentLogger(lines),
    });
    device.start();
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(device.status.errors).toBeGreaterThan(2800);
    const notDebug = logged(lines).filter((l) => l.level >= 30);
    expect(notDebug.length).toBeLessThanOrEqual(30);
    await device.stop();
  });
});

const DAY_MS = 86_400_000;

function logged(lines: readonly string[]): { level: number; msg: string; repeats?: number; failures?: number }[] {
  return lines.map((l) => JSON.parse(l) as { level: number; msg: string });
}
