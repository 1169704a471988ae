import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminRig, SEED_SV } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const CLIENT_SECRET = 'Cl1ent-S3cret-Value';
const USAGES = `/activity-structure-versions/${SEED_SV}/levels/3/activity-definitions/38fc2206-b51f-434a-9c36-9e0esfc5e70e/usages`;
const usage = (id: number): string => JSON.stringify({ activityUsageKind: 'Group', usageReference: { id }, from: '2027-01-01' });

describe('a gateway that synced, wrote, was refused and lost its credentials', () => {
  it('shows neither the client secret, nor an access token, nor the admin token in its logs, errors, status page, /api/status or /metrics', async () => {
    // The access tokens Protime issued, as seen on the wire.
    const tokens: string[] = [];
    const rig = await startRig({
      clientSecret: CLIENT_SECRET,
      rewrite: (_method, path, status, _headers, body) => {
        if (path.includes('/connect/token') && status === 200) tokens.push((JSON.parse(body) as { access_token: string }).access_token);
        return undefined;
      },
    });
    const surfaces: string[] = [];
    const answer = async (res: Promise<{ status: number; body: unknown }>): Promise<number> => {
      const { status, body } = await res;
      surfaces.push(JSON.stringify(body));
      return status;
    };

    expect(await answer(rig.admin('POST', USAGES, usage(5)))).toBe(201);
    rig.sim.faults.add({ kind: 'status', status: 400, match: { method: 'POST', path: '/usages' } });
    expect(await answer(rig.admin('POST', USAGES, usage(6)))).toBe(400);
    const wrongToken = await fetch(`${rig.url}/api/admin${USAGES}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } });
    expect(wrongToken.status).toBe(401);
    surfaces.push(await wrongToken.text());

    // The credentials stop working: the sync and the next write fail on the token endpoint.
    rig.sim.expireTokens();
    rig.sim.faults.add({ kind: 'status', status: 401, times: -1, match: { path: '/connect/token' } });
    const failed = await rig.gateway.sync.run().then(() => undefined, (err: unknown) => err);
    expect(failed).toMatchObject({ code: 'SYNC_AUTH_FAILED' });
    surfaces.push(inspect(failed, { depth: null }));
    expect(await answer(rig.admin('POST', USAGES, usage(7)))).toBe(502);

    for (const path of ['/', '/status-fragment', '/api/status', '/metrics']) {
      const res = await fetch(`${rig.url}${path}`);
      expect(res.status).toBe(200);
      surfaces.push(await res.text());
    }
    const status = JSON.parse(surfaces.at(-2) as string) as { sync: { lastError: { code: string } | null } };
    expect(status.sync.lastError).toMatchObject({ code: 'SYNC_AUTH_FAILED' });
    surfaces.push(rig.logs.join('\n'));

    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(rig.logs.length).toBeGreaterThan(10);
    for (const text of surfaces) {
      for (const secret of [CLIENT_SECRET, ADMIN_TOKEN, ...tokens]) expect(text).not.toContain(secret);
    }
  });
});
