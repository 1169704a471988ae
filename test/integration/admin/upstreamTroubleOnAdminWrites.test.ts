import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../../src/core/scopes.js';
import { adminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const SV = '/activity-structure-versions/b2347a7a-d60d-446f-b03b-7es2cc8c3281';
const WINDOWS = '38fc2206-b51f-434a-9c36-9e0esfc5e70e';
const BY_CUSTOM_KEY = `${SV}/levels/3/activity-definitions/NewOne?externalReferences=(activity-definitions,CustomActivityReference)`;
const usage = (id: number): string => JSON.stringify({ activityUsageKind: 'Group', usageReference: { id }, from: '2027-01-01' });

describe('admin writes when Protime is in trouble', () => {
  it("renews the gateway's token when Protime stops accepting it, and the write goes through", async () => {
    const rig = await startRig();
    expect((await rig.admin('POST', `${SV}/levels/3/activity-definitions/${WINDOWS}/usages`, usage(5))).status).toBe(201);
    rig.sim.expireTokens();
    const before = rig.sim.requests().length;
    const res = await rig.admin('POST', `${SV}/levels/3/activity-definitions/${WINDOWS}/usages`, usage(6));
    expect(res.status).toBe(201);
    const after = rig.sim.requests().slice(before);
    expect(after.map((r) => r.status)).toContain(401);
    expect(after.filter((r) => r.path.includes('/connect/token')).length).toBeGreaterThan(0);
  });

  it('answers 502, not 401, when Protime refuses even a fresh token: the gateway\'s credentials, not the integrator\'s', async () => {
    const rig = await startRig();
    rig.sim.faults.add({ kind: 'status', status: 401, times: -1, match: { method: 'POST', path: '/usages' } });
    const res = await rig.admin('POST', `${SV}/levels/3/activity-definitions/${WINDOWS}/usages`, usage(7));
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('SYNC_AUTH_FAILED');
  });

  it('passes on what Protime says when the look-up of a custom reference fails, instead of an internal error', async () => {
    const rig = await startRig();
    rig.sim.faults.add({ kind: 'status', status: 400, match: { method: 'GET', path: 'NewOne' } });
    const refused = await rig.admin('PUT', BY_CUSTOM_KEY, JSON.stringify({ name: { default: 'New' }, dataEntryCode: '556' }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('UPSTREAM_REFUSED');

    rig.sim.faults.add({ kind: 'reset', times: -1, match: { method: 'GET', path: 'NewOne' } });
    const unreachable = await rig.admin('PUT', BY_CUSTOM_KEY, JSON.stringify({ name: { default: 'New' }, dataEntryCode: '556' }));
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.error.code).toBe('SYNC_NETWORK');
    rig.sim.faults.clear();

    rig.sim.faults.add({ kind: 'malformed', match: { method: 'GET', path: 'NewOne' } });
    const malformed = await rig.admin('PUT', BY_CUSTOM_KEY, JSON.stringify({ name: { default: 'New' }, dataEntryCode: '556' }));
    expect(malformed.status).toBe(502);
    expect(malformed.body.error.code).toBe('SYNC_MALFORMED_RESPONSE');
  });

  it('never sends its token to a link on another server', async () => {
    const rig = await startRig();
    const seen: string[] = [];
    const other = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const link = `http://127.0.0.1:${(other.address() as AddressInfo).port}/connector/protimeapi/api/v1/delta/people?deltaToken=x`;
      await expect(rig.gateway.client.request(link, { scope: SCOPES.definitionsRead })).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE' });
      expect(seen).toEqual([]);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
