import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFixture, startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { send, tokenFor } from '../../support/simulatorClient.js';

const SV = 'big-structure';
const COUNT = 100_000;
const list = (level: number): string => `/connector/protimeapi/api/v1/activity-structure-versions/${SV}/levels/${level}/activity-definitions`;

/** 1 000 level-1 definitions with 99 000 children on level 2. Speed is measured by npm run bench, not here. */
function bigFixture(): unknown {
  const definitions = [];
  for (let i = 0; i < COUNT; i++) {
    const level = i < 1000 ? 1 : 2;
    definitions.push({
      id: `def-${i}`,
      structureVersion: SV,
      level,
      name: { default: `Definition ${i}` },
      dataEntryCode: String(i),
      externalReference: `EXT${i}`,
      ...(level === 2 ? { parent: { id: `def-${i % 1000}` } } : {}),
      usages: [{ activityUsageKind: 'Group', usageReference: { id: 1 }, from: '2025-01-01' }],
    });
  }
  return {
    tenant: 'demo',
    clients: [{ clientId: 'gw', clientSecret: 'secret', scopes: ['connector-protimeapi-activity-definitions.read'] }],
    structureVersions: [{ id: SV, levels: 2 }],
    definitions,
    deltaCollections: ['activity-definitions'],
  };
}

describe('a 100 000-definition tenant', () => {
  let sim: Simulator;
  let token: string;

  beforeAll(async () => {
    sim = await startSimulator({ fixture: parseFixture(bigFixture(), 'generated'), pageSize: 1000 });
    token = await tokenFor(sim, ['connector-protimeapi-activity-definitions.read']);
  });
  afterAll(() => sim.close());

  it('serves every page of the largest level, ending in a delta link', async () => {
    let link: string | undefined = `${list(2)}?expand=usage,restrictions&delta`;
    let seen = 0;
    let deltaLink: string | undefined;
    while (link !== undefined) {
      const page = await send(sim, 'GET', link, { token });
      seen += page.body.value.length;
      link = page.body.nextLink;
      deltaLink = page.body.deltaLink;
    }
    expect(seen).toBe(COUNT - 1000);
    expect(deltaLink).toBeDefined();
  });

  it('pages a delta of 20 000 changes', async () => {
    let link: string | undefined = list(2) + '?delta';
    let deltaLink: string | undefined;
    while (link !== undefined) {
      const page = await send(sim, 'GET', link, { token });
      link = page.body.nextLink;
      deltaLink = page.body.deltaLink;
    }
    for (let i = 0; i < 20_000; i++) sim.store.setUsages(`def-${1000 + i * 4}`, []);
    const changed = new Set<string>();
    link = deltaLink;
    while (link !== undefined) {
      const page = await send(sim, 'GET', link, { token });
      for (const change of page.body.value) changed.add(change.data.id);
      link = page.body.nextLink;
      deltaLink = page.body.deltaLink;
    }
    expect(changed.size).toBe(20_000);
    expect(deltaLink).toBeDefined();
  });

  it('finds single definitions by data entry code among 100 000', async () => {
    for (let i = 0; i < 200; i++) {
      const code = String(1000 + i * 431);
      const answer = await send(sim, 'GET', `${list(2)}/${code}?externalReferences=(activity-definitions,@data-entry-code)`, { token });
      expect(answer.body.id).toBe(`def-${code}`);
    }
  });
});
