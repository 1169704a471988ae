import { describe, expect, it } from 'vitest';
import { FrameClassifier } from '../../../src/devices/FrameClassifier.js';
import { loadProfiles } from '../../../src/devices/loadProfiles.js';

const profiles = loadProfiles();
const keypad = new FrameClassifier(profiles.get('generic-keypad')?.input ?? { aimSymbologyId: false, upperCase: false });
const scanner = new FrameClassifier(profiles.get('serial-barcode-scanner')?.input ?? { aimSymbologyId: false, upperCase: false });

describe('classifying frames with a profile', () => {
  it('reads the generic keypad protocol', () => {
    expect(keypad.classify('B0001234')).toEqual({ type: 'badge', value: '0001234' });
    expect(keypad.classify('K00026')).toEqual({ type: 'code', value: '00026', caseless: false });
    expect(keypad.classify('S 26 ')).toEqual({ type: 'code', value: '26', caseless: false });
    expect(keypad.classify('C')).toEqual({ type: 'cancel' });
    expect(keypad.classify('H')).toEqual({ type: 'heartbeat' });
    expect(keypad.classify('Xgarbage')).toEqual({ type: 'unrecognised', frame: 'Xgarbage' });
  });

  it('strips an AIM symbology identifier from scans and tells badges from codes', () => {
    expect(scanner.classify(']C100026')).toEqual({ type: 'code', value: '00026', caseless: false });
    expect(scanner.classify('00026')).toEqual({ type: 'code', value: '00026', caseless: false });
    expect(scanner.classify(']C1BADGE0001234')).toEqual({ type: 'badge', value: '0001234' });
  });

  it('strips configured prefixes and suffixes and upper-cases when the profile asks', () => {
    const c = new FrameClassifier({ code: '^(?<value>.+)$', stripPrefix: '<', stripSuffix: '>', aimSymbologyId: false, upperCase: true });
    // Upper-cased, and marked so: the index then matches a definition's code without regard to case.
    expect(c.classify('<ab12>')).toEqual({ type: 'code', value: 'AB12', caseless: true });
  });
});
