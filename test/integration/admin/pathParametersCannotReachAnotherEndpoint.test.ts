import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, SEED_SV, useSharedAdminRig } from '../../support/adminRig.js';

// One gateway and simulator for the whole file: no case writes anything.
const shared = useSharedAdminRig();

const PROD = 'a7d853ea-89eb-4735-83d1-b891c6fde398';
const CUSTOM = '?externalReferences=(activity-definitions,CustomActivityReference)';
const DEFINITION = JSON.stringify({ name: { default: 'X' }, dataEntryCode: '991' });

/** Sends the path exactly as written: fetch would resolve `..` and `%2e%2e` before it left, as browsers do, but curl and other clients need not. */
function send(url: string, method: string, path: string, body?: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const req = request({ agent: false, host: hostname, port, method, path: `/api/admin${path}`, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const definition = (sv: string, level: string, ref: string): string => `/activity-structure-versions/${sv}/levels/${level}/activity-definitions/${ref}`;

interface Case {
  title: string;
  method: string;
  path: string;
  body?: string;
  field: string;
}

const CASES: Case[] = [
  { title: 'a structure version ".." (the API root instead)', method: 'GET', path: `${definition('..', '1', PROD)}/usages`, field: 'structureVersionId' },
  { title: 'a structure version "%2e%2e"', method: 'GET', path: `${definition('%2e%2e', '1', PROD)}/usages`, field: 'structureVersionId' },
  { title: 'a structure version "."', method: 'PUT', path: definition('.', '1', PROD), body: DEFINITION, field: 'structureVersionId' },
  { title: 'a reference ".." on a write (the level\'s collection instead)', method: 'PUT', path: `${definition(SEED_SV, '1', '..')}${CUSTOM}`, body: DEFINITION, field: 'activityDefinitionReference' },
  { title: 'a reference "%2E%2E" on a usage write', method: 'POST', path: `${definition(SEED_SV, '1', '%2E%2E')}/usages${CUSTOM}`, body: JSON.stringify({ activityUsageKind: 'Group', usageReference: { id: 1 }, from: '2030-01-01' }), field: 'activityDefinitionReference' },
  { title: 'a reference "%2e" on a read', method: 'GET', path: `${definition(SEED_SV, '1', '%2e')}/restrictions${CUSTOM}`, field: 'activityDefinitionReference' },
  { title: 'a restriction naming the definition ".."', method: 'PUT', path: `${definition(SEED_SV, '1', PROD)}/restrictions`, body: JSON.stringify([{ level: 2, activityDefinitions: [{ id: '..' }] }]), field: '[0].activityDefinitions[0].id' },
  { title: 'a level in exponent notation', method: 'GET', path: `${definition(SEED_SV, '1e300', PROD)}/usages`, field: 'level' },
  { title: 'a level in hexadecimal', method: 'GET', path: `${definition(SEED_SV, '0x1', PROD)}/usages`, field: 'level' },
  { title: 'a level with a leading space', method: 'GET', path: `${definition(SEED_SV, '%201', PROD)}/usages`, field: 'level' },
];

describe('path parameters that would make the gateway call another Protime endpoint with its own token', () => {
  for (const c of CASES) {
    it(`refuses ${c.title} with a 400 naming the field, and sends Protime nothing`, async () => {
      const rig = shared();
      const before = rig.sim.requests().length;
      const res = await send(rig.url, c.method, c.path, c.body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'INVALID', field: c.field } });
      expect(rig.sim.requests().slice(before)).toEqual([]);
    });
  }

  it('still forwards a reference holding @, spaces and letters beyond ASCII, encoded, to the mirrored endpoint', async () => {
    const rig = shared();
    const before = rig.sim.requests().length;
    const res = await send(rig.url, 'GET', `${definition(SEED_SV, '1', 'a%40b%20%C3%A9')}/usages${CUSTOM}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'UPSTREAM_REFUSED' } });
    expect(rig.sim.requests().slice(before).map((r) => r.path)).toEqual([
      `/connector/protimeapi/api/v1${definition(SEED_SV, '1', 'a%40b%20%C3%A9')}/usages${CUSTOM}`,
    ]);
  });
});
