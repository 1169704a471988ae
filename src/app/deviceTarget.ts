import { PtgwError } from '../core/errors.js';
import type { DeviceTarget } from '../devices/ByteStream.js';
import type { DeviceProfile } from '../devices/profileSchema.js';
import type { DeviceConfig } from './config/loadConfig.js';

/** Joins a configured device (where it is) with its profile (how to talk to it), or says what does not fit. */
export function deviceTarget(device: DeviceConfig, profiles: ReadonlyMap<string, DeviceProfile>): { profile: DeviceProfile; target: DeviceTarget } {
  const profile = profiles.get(device.profile);
  if (profile === undefined) {
    throw new PtgwError('CONFIG_INVALID', `Device ${device.id}: unknown profile "${device.profile}" (known: ${[...profiles.keys()].sort().join(', ')}).`, { field: `devices.${device.id}.profile` });
  }
  const mismatch = (what: string): PtgwError =>
    new PtgwError('CONFIG_INVALID', `Device ${device.id}: profile ${profile.id} is a ${profile.transport} device, so the device needs ${what}.`, { field: `devices.${device.id}` });
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
