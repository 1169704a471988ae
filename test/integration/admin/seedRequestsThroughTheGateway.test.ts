import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../fixtures/seedRequests.js';
import { adminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const API_PREFIX = '/connector/protimeapi/api/v1';

describe('the seed pages\' request examples sent to the gateway\'s admin API', () => {
  for (const example of EXAMPLES) {
    it(`${example.title}: answered ${example.status} as Protime would, and the cache follows`, async () => {
      const rig = await startRig();
      const path = example.path.slice(API_PREFIX.length);
      const res = await rig.admin(example.method, path, example.body);
      expect(res.status).toBe(example.status);
      // The change reached Protime…
      const upstream = rig.sim.requests().filter((r) => r.method === example.method && r.path.startsWith(example.path.split('?')[0] as string));
      expect(upstream).toHaveLength(1);
      // …and the gateway's cache, without a sync.
      const body = JSON.parse(example.body) as { dataEntryCode?: string; name?: { default: string } };
      if (example.method === 'PUT' && body.dataEntryCode !== undefined) {
        const level = Number(/levels\/(\d)/.exec(example.path)?.[1]);
        expect(rig.gateway.index.find('b2347a7a-d60d-446f-b03b-7es2cc8c3281', level, body.dataEntryCode)?.name).toBe(body.name?.default);
      }
      if (path.endsWith('/usages')) {
        const id = /activity-definitions\/([^/?]+)\/usages/.exec(path)?.[1] as string;
        const upstreamUsages = rig.sim.store.definition(id)?.usages ?? [];
        expect(rig.gateway.models.usagesOf(id)).toHaveLength(upstreamUsages.length);
      }
    });
  }
});
