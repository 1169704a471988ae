import { describe, expect, it } from 'vitest';
import { adminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const SV = '/activity-structure-versions/b2347a7a-d60d-446f-b03b-7es2cc8c3281';
const WINDOWS = '38fc2206-b51f-434a-9c36-9e0esfc5e70e';
const USAGES = `${SV}/levels/3/activity-definitions/${WINDOWS}/usages`;
const usage = JSON.stringify({ activityUsageKind: 'Group', usageReference: { id: 5 }, from: '2027-01-01' });

describe('an admin write that Protime rate-limits', () => {
  it('answers 429 with the Retry-After Protime gave', async () => {
    const rig = await startRig();
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 30, match: { method: 'POST', path: '/usages' } });
    const res = await rig.admin('POST', USAGES, usage);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.body.error.code).toBe('UPSTREAM_REFUSED');
  });

  it('answers 429 with the Retry-After of the token endpoint when that one rate-limits the token for the write', async () => {
    const rig = await startRig();
    rig.sim.faults.add({ kind: 'rate-limit', retryAfterSeconds: 45, match: { path: '/connect/token' } });
    const res = await rig.admin('POST', USAGES, usage);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('45');
    expect(res.body.error.code).toBe('SYNC_RATE_LIMITED');
    expect(rig.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('/usages'))).toEqual([]);
  });
});
