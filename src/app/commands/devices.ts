import { loadNodeHid } from '../../devices/hid/hidTransport.js';
import { listSerialPorts } from '../../devices/serialTransport.js';
import type { CliIo } from '../cliIo.js';

/** A profile to start from, by what the port says about itself. */
function suggestSerial(p: { manufacturer: string | undefined; path: string }): string {
  const m = `${p.manufacturer ?? ''} ${p.path}`.toLowerCase();
  return /honeywell|zebra|symbol|datalogic|scanner/.test(m) ? 'serial-barcode-scanner' : 'generic-keypad';
}

/** `ptgw devices`: serial ports and HID devices on this machine, with a suggested profile each. */
export async function devicesCommand(options: { json?: boolean }, io: CliIo): Promise<number> {
  let serial: { path: string; byIdPath: string | undefined; manufacturer?: string | undefined; serialNumber?: string | undefined; vendorId?: string | undefined; productId?: string | undefined; suggestedProfile: string }[] = [];
  let serialError: string | undefined;
  try {
    serial = (await listSerialPorts()).map((p) => ({ ...p, suggestedProfile: suggestSerial(p) }));
  } catch (err) {
    serialError = (err as Error).message;
  }
  let hid: { path: string | undefined; vendorId: number; productId: number; product: string | undefined; usagePage: number | undefined; suggestedProfile: string }[] = [];
  let hidError: string | undefined;
  try {
    const backend = await loadNodeHid();
    hid = (await backend.devices()).map((d) => ({
      path: d.path,
      vendorId: d.vendorId,
      productId: d.productId,
      product: d.product,
      usagePage: d.usagePage,
      suggestedProfile: d.usagePage === 0x8c ? 'hid-pos-scanner' : 'keyboard-wedge-us',
    }));
  } catch (err) {
    hidError = (err as Error).message;
  }
  if (options.json === true) {
    io.out(`${JSON.stringify({ serial, serialError, hid, hidError })}\n`);
    return 0;
  }
  io.out('Serial ports (use the /dev/serial/by-id/... path in the config: it survives re-plugging):\n');
  if (serialError !== undefined) io.out(`  cannot list: ${serialError}\n`);
  else if (serial.length === 0) io.out('  none found\n');
  for (const p of serial) io.out(`  ${p.byIdPath ?? p.path}  ${p.byIdPath === undefined ? '' : `(${p.path}) `}${p.manufacturer ?? ''} ${p.vendorId ?? ''}:${p.productId ?? ''} serial ${p.serialNumber ?? '-'}  → profile ${p.suggestedProfile}\n`);
  io.out('HID devices:\n');
  if (hidError !== undefined) io.out(`  ${hidError}\n`);
  else if (hid.length === 0) io.out('  none found\n');
  const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
  for (const d of hid) io.out(`  ${d.path ?? '?'}  ${d.product ?? ''} ${hex(d.vendorId)}:${hex(d.productId)} usagePage ${d.usagePage === undefined ? '-' : hex(d.usagePage)}  → profile ${d.suggestedProfile}\n`);
  return 0;
}
