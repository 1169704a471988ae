import { readFileSync } from 'node:fs';
import { PtgwError } from '../core/errors.js';
import type { Fixture } from './fixtureSchema.js';
import { parseFixture } from './parseFixture.js';

/** Reads and validates a fixture JSON file; every failure is a CONFIG_INVALID naming the file. */
export function loadFixture(path: string): Fixture {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new PtgwError('CONFIG_INVALID', `Simulator fixture ${path} cannot be read: ${(cause as Error).message}.`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PtgwError('CONFIG_INVALID', `Simulator fixture ${path} is not valid JSON: ${(cause as Error).message}.`, { cause });
  }
  return parseFixture(json, path);
}
