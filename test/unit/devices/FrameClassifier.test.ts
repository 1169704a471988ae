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

  it('classifies by patterns matching the whole frame, so a short unanchored pattern does not take frames that merely contain it', () => {
    // As a plant's own profile might write them: "C" and "H" without ^ and $.
    const own = new FrameClassifier({ badge: 'B(?<value>\\d+)', code: 'K(?<value>\\d+)', cancel: 'C', heartbeat: 'H', aimSymbologyId: false, upperCase: false });
    expect(own.classify('B1234')).toEqual({ type: 'badge', value: '1234' });
    expect(own.classify('BCH12')).toEqual({ type: 'unrecognised', frame: 'BCH12' });
    expect(own.classify('K26')).toEqual({ type: 'code', value: '26', caseless: false });
    expect(own.classify('XK26')).toEqual({ type: 'unrecognised', frame: 'XK26' });
    expect(own.classify('C')).toEqual({ type: 'cancel' });
    // An alternation is the whole pattern, not its first branch anchored at the start only.
    const alternatives = new FrameClassifier({ cancel: 'C|ESC', code: '(?<value>.+)', aimSymbologyId: false, upperCase: false });
    expect(alternatives.classify('ESC')).toEqual({ type: 'cancel' });
    expect(alternatives.classify('CODE1')).toEqual({ type: 'code', value: 'CODE1', caseless: false });
  });
});
