import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminRig } from '../../support/adminRig.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(adminRig);

const DEFINITION = '/api/admin/activity-structure-versions/x/levels/1/activity-definitions/y';

describe('a request with a method its path does not have', () => {
  it('is answered 405 with an Allow header listing the methods the path has, while an unknown path stays 404', async () => {
    const rig = await startRig();
    const call = (method: string, path: string): Promise<Response> => fetch(`${rig.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

    for (const [method, path, allow] of [
      ['PATCH', DEFINITION, 'PUT'],
      ['GET', '/api/sync', 'POST'],
      ['GET', '/api/sync?full=true', 'POST'],
      ['PATCH', `${DEFINITION}/usages`, 'GET, HEAD, POST, PUT, DELETE'],
      ['DELETE', `${DEFINITION}/restrictions`, 'GET, HEAD, PUT'],
      ['POST', '/api/status', 'GET, HEAD'],
    ] as const) {
      const res = await call(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
      expect(await res.json()).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.stringContaining(allow) as string } });
    }

    for (const [method, path] of [['GET', '/api/nope'], ['PATCH', '/api/nope'], ['PUT', `${DEFINITION}/nope`]] as const) {
      const res = await call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
      expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });
});
