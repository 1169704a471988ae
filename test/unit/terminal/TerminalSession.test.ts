import { describe, expect, it } from 'vitest';
import { SiteCalendar } from '../../../src/core/clock.js';
import { CodeIndex } from '../../../src/core/codeIndex.js';
import type { Selection } from '../../../src/core/dialog.js';
import type { Snapshot } from '../../../src/core/model.js';
import { DeviceConnection } from '../../../src/devices/DeviceConnection.js';
import type { InputEvent } from '../../../src/devices/FrameClassifier.js';
import { loadProfiles } from '../../../src/devices/loadProfiles.js';
import { maskBadge, TerminalSession } from '../../../src/terminal/TerminalSession.js';
import { seedModel } from '../../fixtures/seedModel.js';
import { MockStream } from '../../support/MockStream.js';
import { def, person, snapshot, SV, usage } from '../../support/modelBuilder.js';
import { silentLogger } from '../../support/silentLogger.js';
import { waitFor } from '../../support/waitFor.js';

const NOW = Date.parse('2025-03-04T07:07:00Z');
const profile = loadProfiles().get('generic-keypad');
if (profile === undefined) throw new Error('generic-keypad');

async function keypadTerminal(options: { record?: (s: Selection) => Promise<void>; timeoutMs?: number; now?: () => number; mono?: () => number; model?: Snapshot } = {}) {
  const stream = new MockStream();
  const device = new DeviceConnection({
    id: 'kp1',
    profile: profile as NonNullable<typeof profile>,
    target: { transport: 'tcp', host: 'unused', port: 1 },
    open: () => Promise.resolve(stream),
    logger: silentLogger(),
    now: () => NOW,
  });
  const recorded: Selection[] = [];
  const index = CodeIndex.build(options.model ?? seedModel());
  const session = new TerminalSession({
    spec: { terminalId: 'T7', structureVersion: SV, levels: [1, 2, 3], timeoutMs: options.timeoutMs ?? 15_000, language: undefined, maxRejects: 3 },
    index: () => index,
    calendar: new SiteCalendar('Europe/Brussels'),
    validator: { noUsagePolicy: 'deny' },
    record: options.record ?? ((s) => Promise.resolve(void recorded.push(s))),
    displays: [device],
    logger: silentLogger(),
    now: options.now ?? (() => NOW),
    ...(options.mono === undefined ? {} : { mono: options.mono }),
  });
  device.on('input', (e: InputEvent) => void session.input(e));
  device.start();
  await waitFor(() => expect(device.status.connected).toBe(true));
  return { stream, device, session, recorded };
}

describe('a keypad terminal driven through its device', () => {
  it('accepts a full dialog, records it before the accept reply, and counts it', async () => {
    const order: string[] = [];
    const t = await keypadTerminal({
      record: async () => {
        order.push(`record with ${t.stream.lines().length} lines written`);
      },
    });
    t.stream.emitData('B0001234\r\nK1\r\nK100\r\nK00026\r\n');
    await waitFor(() => expect(t.stream.lines()).toEqual(['PLevel 1', 'PMaintenance Level 2', 'POrder 100 Level 3', 'ACleaning']));
    expect(order).toEqual(['record with 3 lines written']);
    expect(t.session.status).toMatchObject({ accepted: 1, rejected: 0, state: 'idle', lastDecision: { reason: 'ACCEPTED', badge: '***1234', name: 'Cleaning' } });
    await t.device.stop();
  });

  it('shows "not saved" instead of accepted when the selection cannot be stored, and takes the last code again', async () => {
    let diskFull = true;
    const t = await keypadTerminal({ record: () => (diskFull ? Promise.reject(new Error('disk full')) : Promise.resolve()) });
    t.stream.emitData('B0001234\r\nK1\r\nK100\r\nK00026\r\n');
    await waitFor(() => expect(t.stream.lines().at(-1)).toBe('RNot saved, retry'));
    expect(t.stream.lines().some((l) => l.startsWith('A'))).toBe(false);
    expect(t.session.status.state).toBe('collecting');
    // Retrying is typing the last code again: the badge and the first levels still stand.
    diskFull = false;
    t.stream.emitData('K00026\r\n');
    await waitFor(() => expect(t.stream.lines().at(-1)).toBe('ACleaning'));
    await t.device.stop();
  });

  it('gives the worker a full timeout to retry after a store that failed slowly', async () => {
    let now = NOW;
    const t = await keypadTerminal({
      timeoutMs: 15_000,
      now: () => now,
      mono: () => now,
      // The disk stalls for 20 s, longer than the dialog's timeout, then fails.
      record: () => {
        now += 20_000;
        return Promise.reject(new Error('I/O error'));
      },
    });
    t.stream.emitData('B0001234\r\nK1\r\nK100\r\nK00026\r\n');
    await waitFor(() => expect(t.stream.lines().at(-1)).toBe('RNot saved, retry'));
    await new Promise((r) => setTimeout(r, 50));
    expect(t.stream.lines().at(-1)).toBe('RNot saved, retry');
    expect(t.session.state.phase).toBe('collecting');
    await t.device.stop();
  });

  it('rejects with the reason on the display and counts the reason', async () => {
    const t = await keypadTerminal();
    t.stream.emitData('B0001234\r\nK1\r\nK100\r\nK300\r\n');
    await waitFor(() => expect(t.stream.lines().at(-1)).toBe('R300 Wrong parent'));
    expect(t.session.status.rejectReasons).toEqual({ WRONG_PARENT: 1 });
    await t.device.stop();
  });

  it('ignores heartbeats and counts garbage without disturbing the dialog', async () => {
    const t = await keypadTerminal();
    t.stream.emitData('H\r\nB0001234\r\n\u0000\u00ff\u0013garbage\r\nXYZ\r\nK1\r\n');
    await waitFor(() => expect(t.stream.lines()).toEqual(['PLevel 1', 'PMaintenance Level 2']));
    expect(t.device.status.errors).toBe(2);
    await t.device.stop();
  });

  it('matches a code read by an upper-casing device without regard to case', async () => {
    const model = snapshot({ definitions: [def({ id: 'A', level: 1, code: 'ab1', name: 'Assembly' })], usages: [usage('A', 'Person', 1234, '2025-01-01')], people: [person({ id: 1234, badge: '0001234' })] });
    const t = await keypadTerminal({ model });
    await t.session.input({ type: 'badge', value: '0001234' });
    await t.session.input({ type: 'code', value: 'AB1', caseless: false });
    await t.session.input({ type: 'code', value: 'AB1', caseless: true });
    expect(t.stream.lines()).toEqual(['PLevel 1', 'RAB1 Unknown code', 'PAssembly Level 2']);
    await t.device.stop();
  });

  it('times out back to idle', async () => {
    const t = await keypadTerminal({ timeoutMs: 50, now: Date.now });
    t.stream.emitData('B0001234\r\n');
    await waitFor(() => expect(t.stream.lines()).toEqual(['PLevel 1', 'RTimed out', 'IPresent badge']));
    expect(t.session.state.phase).toBe('idle');
    await t.device.stop();
  });

  it('times out back to idle when the wall clock is set back an hour during the dialog', async () => {
    // NTP corrects the clock just after the badge: the dialog must still end after its 50 ms of inactivity,
    // not stay open (for the next worker to type into) until the wall clock is back where it was.
    let setBack = 0;
    const t = await keypadTerminal({ timeoutMs: 50, now: () => Date.now() - setBack });
    await t.session.input({ type: 'badge', value: '0001234' });
    setBack = 3_600_000;
    await waitFor(() => expect(t.stream.lines()).toEqual(['PLevel 1', 'RTimed out', 'IPresent badge']));
    expect(t.session.state.phase).toBe('idle');
    await t.device.stop();
  });

  it('reconnects after the device goes away', async () => {
    const streams = [new MockStream(), new MockStream()];
    let opened = 0;
    const device = new DeviceConnection({
      id: 'kp2',
      profile: profile as NonNullable<typeof profile>,
      target: { transport: 'tcp', host: 'unused', port: 1 },
      open: () => Promise.resolve(streams[opened++] as MockStream),
      logger: silentLogger(),
    });
    device.start();
    await waitFor(() => expect(device.status.connected).toBe(true));
    streams[0]?.destroy(new Error('EIO'));
    expect(device.status.connected).toBe(false);
    await waitFor(() => expect(opened).toBe(2), { timeoutMs: 5000 });
    await waitFor(() => expect(device.status.connected).toBe(true));
    expect(device.status.lastError).toContain('EIO');
    await device.stop();
  });
});

describe('badge masking', () => {
  it('keeps the last four characters only', () => {
    expect(maskBadge('0001234')).toBe('***1234');
    expect(maskBadge('12')).toBe('**');
  });
});
