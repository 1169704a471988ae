import { describe, expect, it } from 'vitest';
import { adminRig, ADMIN_TOKEN, SEED_SV } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

describe('a path with a part longer than the router takes (a reference of 101 characters)', () => {
  it("is answered 414 with the gateway's own error JSON naming the path, not an internal error, and Protime is not called", async () => {
    const rig = await startRig();
    const before = rig.sim.requests().length;
    const res = await fetch(`${rig.url}/api/admin/activity-structure-versions/${SEED_SV}/levels/1/activity-definitions/${'a'.repeat(101)}/usages`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(414);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST', field: '(path)' } });
    expect(rig.sim.requests().slice(before)).toEqual([]);
  });
});
