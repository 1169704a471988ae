import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPtgwError } from '../../../src/core/errors.js';
import { loadFixture, parseFixture } from '../../../src/simulator/index.js';
import { useTempDir } from '../../support/tempDir.js';
import { SEEDS_PATH, SV } from '../../support/simulatorClient.js';

const tempDir = useTempDir();

const seeds = (): any => JSON.parse(readFileSync(SEEDS_PATH, 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

function expectConfigInvalid(run: () => unknown, ...parts: string[]): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(isPtgwError(caught, 'CONFIG_INVALID')).toBe(true);
  for (const part of parts) expect((caught as Error).message).toContain(part);
}

describe('simulator fixtures', () => {
  it('loads the seed fixture, accepting ids that are not hex and filling defaults', () => {
    const fixture = loadFixture(SEEDS_PATH);
    expect(fixture.tenant).toBe('demo');
    expect(fixture.structureVersions[0]?.id).toBe(SV);
    expect(fixture.definitions.find((d) => d.id === '38fc2206-b51f-434a-9c36-9e0esfc5e70e')?.customReferences).toEqual({ CustomActivityReference: 'WindowCleaning' });
    expect(fixture.definitions.find((d) => d.dataEntryCode === '200')?.usages).toEqual([]);
  });

  it('defaults deltaCollections to people only', () => {
    const json = seeds();
    delete json.deltaCollections;
    expect(parseFixture(json, 'inline').deltaCollections).toEqual(['people']);
  });

  it('names the file and the field when a field has the wrong type', () => {
    const json = seeds();
    json.people[0].groups = 'five';
    expectConfigInvalid(() => parseFixture(json, 'tenant.json'), 'tenant.json', 'people[0].groups');
  });

  it('rejects a parent that is not on the level above', () => {
    const json = seeds();
    json.definitions[4].parent.id = json.definitions[0].id;
    expectConfigInvalid(() => parseFixture(json, 'f.json'), 'f.json', 'definitions[4].parent.id');
  });

  it('rejects a parent on level 1', () => {
    const json = seeds();
    json.definitions[0].parent = { id: json.definitions[1].id };
    expectConfigInvalid(() => parseFixture(json, 'f.json'), 'definitions[0].parent.id', 'level-1');
  });

  it('rejects a data entry code used twice on one level', () => {
    const json = seeds();
    json.definitions[1].dataEntryCode = '1';
    expectConfigInvalid(() => parseFixture(json, 'f.json'), 'definitions[1].dataEntryCode', '"1"');
  });

  it('rejects a data entry code longer than 16 characters', () => {
    const json = seeds();
    json.definitions[0].dataEntryCode = '12345678901234567';
    expectConfigInvalid(() => parseFixture(json, 'f.json'), 'definitions[0].dataEntryCode', '16');
  });

  it('rejects an unknown structure version, a level beyond it and a restriction to a missing definition', () => {
    let json = seeds();
    json.definitions[0].structureVersion = 'nope';
    expectConfigInvalid(() => parseFixture(json, 'f.json'), 'definitions[0].structureVersion');
    json = seeds();
    json.definitions[0].level = 4;
    expectConfigInvalid(() => parseFixture(json, 'f.json'), 'definitions[0].level');
    json = seeds();
    json.definitions[2].restrictions[0].activityDefinitions[0].id = 'missing';
    expectConfigInvalid(() => parseFixture(json, 'f.json'), 'definitions[2].restrictions[0].activityDefinitions[0].id');
  });

  it('rejects a date that is not a calendar date', () => {
    const json = seeds();
    json.definitions[4].activeFrom = '2025-02-30';
    expectConfigInvalid(() => parseFixture(json, 'f.json'), 'definitions[4].activeFrom');
  });

  it('reports a missing file and a file that is not JSON by name', () => {
    const dir = tempDir();
    expectConfigInvalid(() => loadFixture(`${dir}/absent.json`), 'absent.json', 'cannot be read');
    writeFileSync(`${dir}/broken.json`, '{"tenant": ');
    expectConfigInvalid(() => loadFixture(`${dir}/broken.json`), 'broken.json', 'not valid JSON');
  });
});
