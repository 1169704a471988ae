import { describe, expect, it } from 'vitest';
import { adminRig, SEED_SV } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const WINDOWS = '38fc2206-b51f-434a-9c36-9e0esfc5e70e';
const USAGES = `/activity-structure-versions/${SEED_SV}/levels/3/activity-definitions/${WINDOWS}/usages`;

describe('an open-ended usage changed through the gateway with originalUntil "" or null', () => {
  for (const originalUntil of ['', null]) {
    it(`reaches Protime with originalUntil left out, as seed 000 asks (sent as ${JSON.stringify(originalUntil)})`, async () => {
      const rig = await startRig();
      // Circle 20 has an open-ended usage from 2025-01-01 in the seed fixture.
      const res = await rig.admin('PUT', USAGES, JSON.stringify({ activityUsageKind: 'Circle', usageReference: { id: 20 }, originalFrom: '2025-01-01', originalUntil, updatedFrom: '2025-02-01', updatedUntil: '' }));
      expect(res.status).toBe(200);
      expect(rig.sim.store.definition(WINDOWS)?.usages).toContainEqual({ activityUsageKind: 'Circle', usageReference: { id: 20 }, from: '2025-02-01', until: undefined });
    });
  }
});
