import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ByteStream } from '../../../src/devices/ByteStream.js';
import { openSerial } from '../../../src/devices/serialTransport.js';
import { PtyTerminal } from '../../support/PtyTerminal.js';
import { SocatPair } from '../../support/socatPair.js';
import { useTempDir } from '../../support/tempDir.js';
import { TestTerminal } from '../../support/TestTerminal.js';
import { waitFor } from '../../support/waitFor.js';

const SERIAL = { transport: 'serial', baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false } as const;
const tempDir = useTempDir();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function openPair(): Promise<{ pair: SocatPair; port: ByteStream }> {
  const pair = await new SocatPair(tempDir()).start();
  cleanup.push(() => pair.kill());
  const port = await openSerial({ ...SERIAL, path: pair.gatewayPath });
  cleanup.push(() => port.close());
  return { pair, port };
}

describe('the serial transport over a real pty', () => {
  it('finishes a write far larger than the pty buffer, whole, when a frame arrives while it waits', async () => {
    const { terminal, path } = await PtyTerminal.start();
    cleanup.push(() => terminal.close());
    const port = await openSerial({ ...SERIAL, path });
    cleanup.push(() => port.close());
    let received = '';
    port.on('data', (chunk) => (received += chunk.toString('latin1')));
    // 1 MiB cannot fit the pty buffer while the terminal does not read: the write waits for "writable"...
    const data = randomBytes(1 << 20);
    let done = false;
    const written = port.write(data).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 100));
    // ...and a frame read meanwhile must not make the port forget that it waits to write.
    await terminal.send('K1');
    await waitFor(() => expect(received).toBe('K1\r\n'));
    expect(done).toBe(false);
    expect(await terminal.drain(data.length)).toBe(createHash('sha256').update(data).digest('hex'));
    await written;
  });

  it('reads every frame a terminal types, in order', async () => {
    const { pair, port } = await openPair();
    let received = '';
    port.on('data', (chunk) => (received += chunk.toString('latin1')));
    const terminal = await TestTerminal.open(pair.terminalPath);
    cleanup.push(() => terminal.close());
    const frames = Array.from({ length: 500 }, (_, i) => `K${i}`);
    for (const f of frames) await terminal.send(f);
    await waitFor(() => expect(received.split('\r\n').length).toBe(frames.length + 1));
    expect(received).toBe(frames.map((f) => `${f}\r\n`).join(''));
  });

  it('reports the port closed, with the reason, when the other side goes away', async () => {
    const { pair, port } = await openPair();
    const closed = new Promise<Error | undefined>((resolve) => port.once('close', resolve));
    await pair.kill();
    const err = await closed;
    expect(err).toBeInstanceOf(Error);
  });

  it('reports the port closed, with the reason, when the line is hung up as when a USB adapter is pulled', async () => {
    const { terminal, path } = await PtyTerminal.start();
    cleanup.push(() => terminal.close());
    const port = await openSerial({ ...SERIAL, path });
    cleanup.push(() => port.close());
    port.on('data', () => undefined);
    const closed = new Promise<Error | undefined>((resolve) => port.once('close', resolve));
    await terminal.hangUp();
    expect(await closed).toBeInstanceOf(Error);
  });

  it('fails a reply written while the port closes at once, instead of keeping it for good', async () => {
    const { terminal, path } = await PtyTerminal.start();
    cleanup.push(() => terminal.close());
    const port = await openSerial({ ...SERIAL, path });
    port.on('data', () => undefined);
    const closed = port.close();
    const reply = port.write(Buffer.from('A Cleaning\r\n')).then(() => 'written', (err: Error) => err.message);
    await closed;
    expect(await Promise.race([reply, new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5000))])).toMatch(/closed/);
  });

  it('fails the writes waiting for room when the port is closed', async () => {
    const { terminal, path } = await PtyTerminal.start();
    cleanup.push(() => terminal.close());
    const port = await openSerial({ ...SERIAL, path });
    port.on('data', () => undefined);
    const settled = (p: Promise<void>): Promise<string> => p.then(() => 'written', (err: Error) => err.message);
    // The terminal does not read: the first write waits for room, the second waits behind it.
    const waiting = [settled(port.write(randomBytes(1 << 20))), settled(port.write(Buffer.from('A Cleaning\r\n')))];
    await new Promise((r) => setTimeout(r, 100));
    await port.close();
    const outcome = await Promise.race([Promise.all(waiting), new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5000))]);
    expect(outcome).toEqual([expect.not.stringMatching(/^written$/), expect.not.stringMatching(/^written$/)]);
  });

  it('fails to open a path that is no serial device with DEVICE_OPEN_FAILED', async () => {
    await expect(openSerial({ ...SERIAL, path: `${tempDir()}/missing` })).rejects.toMatchObject({ code: 'DEVICE_OPEN_FAILED' });
  });
});
