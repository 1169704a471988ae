import { describe, expect, it } from 'vitest';
import { adminRig, SEED_SV } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const USAGES = `/activity-structure-versions/${SEED_SV}/levels/1/activity-definitions/a7d853ea-89eb-4735-83d1-b891c6fde398/usages`;
const usage = (id: number): string => JSON.stringify({ activityUsageKind: 'Group', usageReference: { id }, from: '2031-01-01' });

describe('a Protime (or a proxy before it) whose error pages echo the request it was sent', () => {
  it("passes on its errors without the gateway's access token, to the integrator and on the status page", async () => {
    const tokens = new Set<string>();
    let echoing = false;
    // Echoes the Authorization header into the body of a refused write and of a failed sync.
    const rig = await startRig({
      rewrite: (method, path, _status, headers, _body, request) => {
        const auth = String(request?.authorization ?? '');
        if (auth.startsWith('Bearer ')) tokens.add(auth.slice('Bearer '.length));
        const echo = (status: number) => ({ status, headers: { ...headers, 'content-type': 'application/problem+json' }, body: JSON.stringify({ title: 'Rejected', detail: `request with authorization ${auth}`, headers: request }) });
        if (method === 'POST' && path.includes('/usages') && echoing) return echo(400);
        if (method === 'GET' && path.includes('/people') && echoing) return echo(400);
        return undefined;
      },
    });
    echoing = true;

    const refused = await rig.admin('POST', USAGES, usage(42));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'UPSTREAM_REFUSED' } });
    const failed = await rig.gateway.sync.run({ full: true }).then(() => undefined, (err: unknown) => err);
    expect(failed).toMatchObject({ code: 'SYNC_HTTP_STATUS' });
    echoing = false;
    const status = await (await fetch(`${rig.url}/api/status`)).text();
    const page = await (await fetch(`${rig.url}/`)).text();

    expect(tokens.size).toBeGreaterThan(0);
    expect(JSON.stringify(refused.body)).toContain('authorization');
    for (const token of tokens) {
      for (const text of [JSON.stringify(refused.body), status, page, rig.logs.join('\n')]) expect(text).not.toContain(token);
    }
  });
});
