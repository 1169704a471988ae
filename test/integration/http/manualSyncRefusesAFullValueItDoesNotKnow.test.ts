import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

describe('POST /api/sync with a full value the gateway does not know', () => {
  it('is refused with 400 naming full and runs no sync, while true/1 run a full sync and false/0 or none an incremental one', async () => {
    const rig = await startRig();
    const sync = async (query: string): Promise<{ status: number; body: any }> => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const res = await fetch(`${rig.url}/api/sync${query}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      return { status: res.status, body: await res.json() };
    };

    const attemptedAt = rig.gateway.sync.status.lastAttemptAt;
    const requests = rig.sim.requests().length;
    for (const query of ['?full=yes', '?full=TRUE', '?full=', '?full', '?full=true&full=true']) {
      const refused = await sync(query);
      expect(refused.status, query).toBe(400);
      expect(refused.body, query).toMatchObject({ error: { code: 'BAD_REQUEST', field: 'full' } });
    }
    expect(rig.gateway.sync.status.lastAttemptAt).toBe(attemptedAt);
    expect(rig.sim.requests().length).toBe(requests);

    for (const [query, full] of [['?full=true', true], ['?full=1', true], ['?full=false', false], ['?full=0', false], ['', false]] as const) {
      const ran = await sync(query);
      expect(ran.status, query).toBe(200);
      expect(ran.body.report.full, query).toBe(full);
    }
  });
});
