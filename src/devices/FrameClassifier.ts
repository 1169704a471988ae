import { normaliseCode } from '../core/input.js';
import { framePattern, type ProfileInput } from './profileSchema.js';

/** What a frame means to a terminal dialog. */
export type InputEvent =
  | { type: 'badge'; value: string }
  | { type: 'code'; value: string; caseless: boolean }
  | { type: 'cancel' }
  | { type: 'heartbeat' }
  | { type: 'unrecognised'; frame: string };

const AIM_ID = /^\][A-Za-z0-9][0-9A-Za-z]/;

/**
 * Applies a profile's input rules to a frame: strip scanner prefixes and suffixes (and an AIM
 * symbology identifier), then the first pattern of cancel, heartbeat, badge, code that matches the
 * whole frame.
 * Patterns take the named group `value` when they have one, else the whole match.
 */
export class FrameClassifier {
  readonly #input: ProfileInput;
  readonly #patterns: { type: 'cancel' | 'heartbeat' | 'badge' | 'code'; re: RegExp }[];

  constructor(input: ProfileInput) {
    this.#input = input;
    this.#patterns = [];
    for (const type of ['cancel', 'heartbeat', 'badge', 'code'] as const) {
      const src = input[type];
      if (src !== undefined) this.#patterns.push({ type, re: framePattern(src) });
    }
  }

  classify(raw: string): InputEvent {
    let frame = raw;
    if (this.#input.aimSymbologyId && AIM_ID.test(frame)) frame = frame.slice(3);
    const { stripPrefix, stripSuffix } = this.#input;
    if (stripPrefix !== undefined && stripPrefix !== '' && frame.startsWith(stripPrefix)) frame = frame.slice(stripPrefix.length);
    if (stripSuffix !== undefined && stripSuffix !== '' && frame.endsWith(stripSuffix)) frame = frame.slice(0, -stripSuffix.length);
    for (const { type, re } of this.#patterns) {
      const m = re.exec(frame);
      if (m === null) continue;
      if (type === 'cancel' || type === 'heartbeat') return { type };
      const value = m.groups?.value ?? m[0];
      if (type === 'badge') return { type, value: value.trim() };
      return { type, value: normaliseCode(value, { upperCase: this.#input.upperCase }), caseless: this.#input.upperCase === true };
    }
    return { type: 'unrecognised', frame: raw };
  }
}
