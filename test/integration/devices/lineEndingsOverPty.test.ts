import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../../src/devices/DeviceConnection.js';
import type { InputEvent } from '../../../src/devices/FrameClassifier.js';
import { loadProfiles } from '../../../src/devices/loadProfiles.js';
import { createOpenDevice } from '../../../src/devices/openDevice.js';
import { silentLogger } from '../../support/silentLogger.js';
import { SocatPair } from '../../support/socatPair.js';
import { useTempDir } from '../../support/tempDir.js';
import { TestTerminal } from '../../support/TestTerminal.js';
import { waitFor } from '../../support/waitFor.js';

const tempDir = useTempDir();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
const profiles = loadProfiles();

/** A device on a real pty, read with a shipped profile; returns what it delivers and the other end to type on. */
async function deviceWith(profileId: string): Promise<{ events: InputEvent[]; terminal: TestTerminal }> {
  const profile = profiles.get(profileId);
  if (profile?.transport !== 'serial') throw new Error(profileId);
  const pair = await new SocatPair(tempDir()).start();
  cleanup.push(() => pair.kill());
  const { baudRate, dataBits, parity, stopBits, rtscts } = profile;
  const conn = new DeviceConnection({
    id: 'dev',
    profile,
    target: { transport: 'serial', path: pair.gatewayPath, baudRate, dataBits, parity, stopBits, rtscts },
    open: createOpenDevice(),
    logger: silentLogger(),
  });
  const events: InputEvent[] = [];
  conn.on('input', (e: InputEvent) => events.push(e));
  conn.start();
  cleanup.push(() => conn.stop());
  await waitFor(() => expect(conn.status.connected).toBe(true));
  const terminal = await TestTerminal.open(pair.terminalPath);
  cleanup.push(() => terminal.close());
  return { events, terminal };
}

describe('devices whose line ending is not the one their profile names', () => {
  it('reads every scan of a serial scanner left on its CR LF suffix, not only the first', async () => {
    const { events, terminal } = await deviceWith('serial-barcode-scanner');
    await terminal.write(']C100026\r\nBADGE0001234\r\n]C1ABC-7\r\n');
    await waitFor(() =>
      expect(events).toEqual([
        { type: 'code', value: '00026', caseless: false },
        { type: 'badge', value: '0001234' },
        { type: 'code', value: 'ABC-7', caseless: false },
      ]),
    );
  });

  it('reads a keypad terminal that ends its lines with CR only', async () => {
    const { events, terminal } = await deviceWith('generic-keypad');
    await terminal.write('B0001234\r');
    await terminal.write('K10\rC\r');
    await waitFor(() => expect(events).toEqual([{ type: 'badge', value: '0001234' }, { type: 'code', value: '10', caseless: false }, { type: 'cancel' }]));
  });
});
