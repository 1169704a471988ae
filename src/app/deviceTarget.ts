import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PtgwError } from '../core/errors.js';
import type { DeviceTarget } from '../devices/ByteStream.js';
import { BUILTIN_PROFILE_DIR, loadProfiles } from '../devices/loadProfiles.js';
import type { DeviceProfile } from '../devices/profileSchema.js';
import type { PathProblem } from './config/crossChecks.js';
import type { DeviceConfig } from './config/loadConfig.js';

/** The built-in profiles, then a site's own from device-profiles/ beside the config file. */
export function profilesFor(configSource: string): Map<string, DeviceProfile> {
  const dirs = [BUILTIN_PROFILE_DIR];
  const local = join(dirname(configSource), 'device-profiles');
  if (existsSync(local)) dirs.push(local);
  return loadProfiles(dirs);
}

export interface JoinedDevice {
  device: DeviceConfig;
  profile: DeviceProfile;
  target: DeviceTarget;
}

type HidMatch = Extract<DeviceTarget, { transport: 'hid' }>['match'];

/** Two matches can select the same device unless some field both name differs. */
function canMatchTheSame(a: HidMatch, b: HidMatch): boolean {
  return (['vendorId', 'productId', 'serialNumber', 'path', 'usagePage'] as const).every((k) => a[k] === undefined || b[k] === undefined || a[k] === b[k]);
}

/**
 * Every configured device joined with its profile, and every problem with one (at its key in the
 * config, so that it is reported with its line): those of deviceTarget, and HID devices whose
 * matches can select the same scanner. Linux lets several
 * readers open one hidraw device and gives each every report, so two such entries would feed one
 * scanner's scans to two terminals and never read the other scanner.
 */
export function deviceTargets(devices: readonly DeviceConfig[], profiles: ReadonlyMap<string, DeviceProfile>): { joined: JoinedDevice[]; problems: PathProblem[] } {
  const joined: (JoinedDevice & { index: number })[] = [];
  const problems: PathProblem[] = [];
  devices.forEach((device, index) => {
    try {
      joined.push({ device, index, ...deviceTarget(device, profiles) });
    } catch (err) {
      if (!(err instanceof PtgwError)) throw err;
      problems.push({ path: ['devices', index, ...(err.field === 'profile' ? ['profile'] : [])], message: err.message });
    }
  });
  const hid = joined.filter((j): j is JoinedDevice & { index: number; target: { transport: 'hid' } } => j.target.transport === 'hid');
  hid.forEach((a, i) => {
    const b = hid.slice(0, i).find((other) => canMatchTheSame(a.target.match, other.target.match));
    if (b === undefined) return;
    problems.push({
      path: ['devices', a.index, 'match'],
      message: `devices ${b.device.id} and ${a.device.id} can both match the same HID device: give each its "serialNumber" or hidraw "path" under match (ptgw devices lists them)`,
    });
  });
  return { joined: joined.map(({ index: _i, ...j }) => j), problems };
}

/** Joins a configured device (where it is) with its profile (how to talk to it), or says what does not fit (field: the device's key at fault). */
export function deviceTarget(device: DeviceConfig, profiles: ReadonlyMap<string, DeviceProfile>): { profile: DeviceProfile; target: DeviceTarget } {
  const profile = profiles.get(device.profile);
  if (profile === undefined) {
    throw new PtgwError('CONFIG_INVALID', `unknown profile "${device.profile}" for device ${device.id} (known: ${[...profiles.keys()].sort().join(', ')})`, { field: 'profile' });
  }
  const mismatch = (what: string): PtgwError =>
    new PtgwError('CONFIG_INVALID', `profile ${profile.id} is a ${profile.transport} device, so device ${device.id} needs ${what}`);
  switch (profile.transport) {
    case 'serial':
      if (device.path === undefined) throw mismatch('a "path" (prefer /dev/serial/by-id/...)');
      return {
        profile,
        target: { transport: 'serial', path: device.path, baudRate: profile.baudRate, dataBits: profile.dataBits, parity: profile.parity, stopBits: profile.stopBits, rtscts: profile.rtscts },
      };
    case 'tcp':
      if (device.host === undefined || device.port === undefined) throw mismatch('"host" and "port"');
      return { profile, target: { transport: 'tcp', host: device.host, port: device.port } };
    case 'hid': {
      const m = device.match ?? {};
      const match = {
        vendorId: m.vendorId ?? profile.vendorId,
        productId: m.productId ?? profile.productId,
        serialNumber: m.serialNumber,
        path: m.path ?? device.path,
        usagePage: profile.usagePage,
      };
      if (match.vendorId === undefined && match.path === undefined) throw mismatch('a "match" with vendorId/productId or a hidraw path');
      return { profile, target: { transport: 'hid', match, mode: profile.mode, ...(profile.keymap === undefined ? {} : { keymap: profile.keymap }) } };
    }
  }
}
