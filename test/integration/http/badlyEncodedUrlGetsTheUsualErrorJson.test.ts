import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

describe('a request whose path is not valid percent-encoding', () => {
  it('is answered 400 with the gateway\'s own error JSON naming the path, as every other refusal', async () => {
    const rig = await startRig();
    for (const path of ['/%', '/api/sync%zz', '/api/admin/activity-structure-versions/x/levels/1/activity-definitions/%E0%A4%A']) {
      const res = await fetch(`${rig.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toMatchObject({ error: { code: 'BAD_REQUEST', field: '(path)', message: expect.stringContaining('percent-encoding') as string } });
    }
  });
});
