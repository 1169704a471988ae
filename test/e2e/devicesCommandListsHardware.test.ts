import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

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
});
