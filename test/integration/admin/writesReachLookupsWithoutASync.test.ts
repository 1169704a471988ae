import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { adminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const SV = 'b2347a7a-d60d-446f-b03b-7es2cc8c3281';
const ORDER_100 = '22d320ed-f6ed-44bd-b7b1-fe58f518960c';

describe('a definition created through the gateway', () => {
  it('is decided by the live index and by ptgw lookup at once, without a sync', async () => {
    const rig = await startRig();
    const syncsBefore = rig.sim.requests().filter((r) => r.path.includes('/levels/3/activity-definitions?')).length;
    // A new operation under Order 100, with a Person usage for person 1234 (looked up on level 3 alone).
    const created = await rig.admin(
      'PUT',
      `/activity-structure-versions/${SV}/levels/3/activity-definitions/Sweep?externalReferences=(activity-definitions,CustomActivityReference)`,
      JSON.stringify({ name: { default: 'Sweeping' }, parent: { id: ORDER_100 }, dataEntryCode: '777', activeFrom: '2025-01-01' }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await rig.admin('POST', `/activity-structure-versions/${SV}/levels/3/activity-definitions/${id}/usages`, JSON.stringify({ activityUsageKind: 'Person', usageReference: { id: 1234 }, from: '2025-01-01' }))).status).toBe(201);

    const live = await (await fetch(`${rig.url}/api/lookup?badge=0001234&codes=777&date=2025-03-04&levels=3`)).json() as { decision: string };
    expect(live.decision).toBe('ACCEPTED');
    const offline = await runCli(['lookup', '--config', rig.config, '--badge', '0001234', '--date', '2025-03-04', '--levels', '3', '--json', '777']);
    expect(JSON.parse(offline.stdout).decision).toBe('ACCEPTED');
    // No listing happened: the refresh fetched that one definition.
    expect(rig.sim.requests().filter((r) => r.path.includes('/levels/3/activity-definitions?')).length).toBe(syncsBefore);

    // Deleting the usage takes the right away just as fast.
    expect((await rig.admin('DELETE', `/activity-structure-versions/${SV}/levels/3/activity-definitions/${id}/usages`, JSON.stringify({ activityUsageKind: 'Person', usageReference: { id: 1234 }, from: '2025-01-01' }))).status).toBe(204);
    const after = await (await fetch(`${rig.url}/api/lookup?badge=0001234&codes=777&date=2025-03-04&levels=3`)).json() as { decision: string };
    expect(after.decision).toBe('NO_USAGE');
  });
});
