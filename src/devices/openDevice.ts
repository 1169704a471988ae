import type { ByteStream, DeviceTarget, OpenDevice } from './ByteStream.js';
import { loadNodeHid, openHid, type HidBackend } from './hid/hidTransport.js';
import { openSerial } from './serialTransport.js';
import { openTcp } from './tcpTransport.js';

/** The production device opener: serialport, node:net, or node-hid (loaded on first use). */
export function createOpenDevice(hidBackend: () => Promise<HidBackend> = loadNodeHid): OpenDevice {
  return (target: DeviceTarget): Promise<ByteStream> => {
    switch (target.transport) {
      case 'serial':
        return openSerial(target);
      case 'tcp':
        return openTcp(target);
      case 'hid':
        return openHid(target, hidBackend);
    }
  };
}
