import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();

/** What `udevadm info -e` prints for an FTDI USB-serial adapter: ptgw lists ports through udev. */
const FTDI_ADAPTER = [
  'P: /devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0',
  'N: ttyUSB0',
  'S: serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0',
  'E: DEVNAME=/dev/ttyUSB0',
  'E: ID_VENDOR_ENC=FTDI',
  'E: ID_SERIAL_SHORT=A50285BI',
  'E: ID_VENDOR_ID=0403',
  'E: ID_MODEL_ID=6001',
  'E: DEVLINKS=/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0 /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0',
  '',
].join('\n');

describe('ptgw devices', () => {
  it('lists serial ports and HID devices, or says why it cannot, and exits 0', async () => {
    const json = await runCli(['devices', '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { serial: unknown[]; hid: unknown[]; serialError?: string; hidError?: string };
    expect(Array.isArray(parsed.serial)).toBe(true);
    expect(Array.isArray(parsed.hid)).toBe(true);
    if (parsed.hidError !== undefined) expect(parsed.hidError).toContain('HID devices cannot be used on this machine');
    const human = await runCli(['devices']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Serial ports');
    expect(human.stdout).toContain('HID devices');
  });

  it('shows the /dev/serial/by-id path of a USB-serial adapter, the one the config should name', async () => {
    const bin = tempDir();
    writeFileSync(join(bin, 'udevadm'), `#!/bin/sh\ncat <<'END'\n${FTDI_ADAPTER}END\n`);
    chmodSync(join(bin, 'udevadm'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    const json = await runCli(['devices', '--json'], { env });
    expect(json.code).toBe(0);
    const byId = '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0';
    expect((JSON.parse(json.stdout) as { serial: unknown[] }).serial).toEqual([expect.objectContaining({ path: '/dev/ttyUSB0', byIdPath: byId, suggestedProfile: 'generic-keypad' })]);
    const human = await runCli(['devices'], { env });
    expect(human.stdout).toContain(byId);
  });
});

