import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPtgwError } from '../../../src/core/errors.js';
import { loadProfiles, loadProfileFile } from '../../../src/devices/loadProfiles.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();

function brokenProfile(json: string, name = 'broken.json'): unknown {
  const file = join(tempDir(), name);
  writeFileSync(file, json);
  try {
    loadProfileFile(file);
  } catch (err) {
    return err;
  }
  throw new Error('expected the profile to be refused');
}

describe('device profiles', () => {
  it('ships the profiles DESIGN.md promises, all valid', () => {
    const profiles = loadProfiles();
    expect([...profiles.keys()].sort()).toEqual(['generic-keypad', 'hid-pos-scanner', 'keyboard-wedge-be-azerty', 'keyboard-wedge-us', 'serial-barcode-scanner', 'tcp-keypad']);
    expect(profiles.get('generic-keypad')).toMatchObject({ transport: 'serial', baudRate: 9600, delimiter: '\r\n', maxFrameLength: 256 });
    expect(profiles.get('keyboard-wedge-be-azerty')).toMatchObject({ transport: 'hid', mode: 'keyboard-wedge', keymap: 'be-azerty' });
  });

  it('fills defaults for fields left out', () => {
    const file = join(tempDir(), 'minimal.json');
    writeFileSync(file, JSON.stringify({ id: 'minimal', description: 'x', transport: 'serial', input: { code: '^(?<value>.+)$' } }));
    expect(loadProfileFile(file)).toMatchObject({ baudRate: 9600, dataBits: 8, parity: 'none', encoding: 'ascii', delimiter: '\r\n', maxFrameLength: 256 });
  });

  const cases: [string, string, string][] = [
    ['a wrong type', JSON.stringify({ id: 'broken', description: 'x', transport: 'serial', baudRate: 'fast', input: { code: 'x' } }), 'baudRate'],
    ['an unknown transport', JSON.stringify({ id: 'broken', description: 'x', transport: 'bluetooth', input: { code: 'x' } }), 'transport'],
    ['an invalid regular expression', JSON.stringify({ id: 'broken', description: 'x', transport: 'tcp', input: { code: '^(unclosed' } }), 'input.code'],
    ['a regular expression valid only outside Unicode mode', JSON.stringify({ id: 'broken', description: 'x', transport: 'tcp', input: { badge: '^[\\w-.]+$' } }), 'input.badge'],
    [
      'a display charset wider than the line encoding',
      JSON.stringify({ id: 'broken', description: 'x', transport: 'tcp', encoding: 'latin1', input: { code: 'x' }, output: { prompt: 'P', accept: 'A', reject: 'R', idle: 'I', charset: 'utf8' } }),
      'output.charset',
    ],
    ['an unknown field', JSON.stringify({ id: 'broken', description: 'x', transport: 'tcp', baud: 1, input: { code: 'x' } }), 'baud'],
    ['a keyboard wedge without keymap', JSON.stringify({ id: 'broken', description: 'x', transport: 'hid', mode: 'keyboard-wedge', input: { code: 'x' } }), 'keymap'],
    [
      'a misspelt placeholder in a reply template',
      JSON.stringify({ id: 'broken', description: 'x', transport: 'tcp', input: { code: 'x' }, output: { prompt: 'P{text}', accept: 'A{name}', reject: 'R{reasn}', idle: 'I{text}' } }),
      'output.reject',
    ],
    ['a badge pattern whose group is not named value', JSON.stringify({ id: 'broken', description: 'x', transport: 'tcp', input: { badge: '^B(\\d+)$' } }), 'input.badge'],
    ['a code pattern with a named group other than value', JSON.stringify({ id: 'broken', description: 'x', transport: 'tcp', input: { code: '^K(?<code>\\d+)$' } }), 'input.code'],
    ['an id that is not the file name', JSON.stringify({ id: 'other', description: 'x', transport: 'tcp', input: { code: 'x' } }), 'id'],
  ];
  for (const [what, json, field] of cases) {
    it(`refuses ${what}, naming the file and the field`, () => {
      const err = brokenProfile(json);
      expect(isPtgwError(err, 'PROFILE_INVALID')).toBe(true);
      expect((err as Error).message).toContain('broken.json');
      expect((err as Error).message).toContain(field);
    });
  }

  it('takes groups that keep nothing, and any groups in cancel and heartbeat patterns', () => {
    const file = join(tempDir(), 'groups.json');
    const input = { badge: '^(?:B|BADGE)(?<value>\\d+)$', code: '^(?:K|S)(?<value>\\d+)$', cancel: '^(C|ESC)$', heartbeat: '^(H)$' };
    writeFileSync(file, JSON.stringify({ id: 'groups', description: 'x', transport: 'tcp', input }));
    expect(loadProfileFile(file).input).toMatchObject(input);
  });

  it('reads a profile saved with a byte order mark, as Windows editors write UTF-8', () => {
    const file = join(tempDir(), 'notepad.json');
    writeFileSync(file, `\ufeff${JSON.stringify({ id: 'notepad', description: 'x', transport: 'tcp', input: { code: 'x' } })}`);
    expect(loadProfileFile(file)).toMatchObject({ id: 'notepad', transport: 'tcp' });
  });

  it('refuses a file that is not JSON', () => {
    expect(isPtgwError(brokenProfile('{ not json'), 'PROFILE_INVALID')).toBe(true);
  });
});
