import { describe, expect, it } from 'vitest';
import { serialOpenFailed } from '../../../src/devices/serialTransport.js';

describe('the error for a serial port that did not open', () => {
  // The words of @serialport/bindings-cpp's open (serialport_unix.cpp): "Error: <strerror>, cannot open <path>".
  it('says which group the user needs when it may not open the port', () => {
    const err = serialOpenFailed('/dev/ttyS0', new Error('Error: Permission denied, cannot open /dev/ttyS0'));
    expect(err.code).toBe('DEVICE_OPEN_FAILED');
    expect(err.message).toContain('/dev/ttyS0');
    expect(err.message).toMatch(/dialout/);
  });

  it('says only what happened for other failures', () => {
    const err = serialOpenFailed('/dev/ttyUSB7', new Error('Error: No such file or directory, cannot open /dev/ttyUSB7'));
    expect(err.code).toBe('DEVICE_OPEN_FAILED');
    expect(err.message).toContain('No such file or directory');
    expect(err.message).not.toMatch(/dialout/);
  });
});
