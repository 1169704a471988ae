import { describe, expect, it } from 'vitest';
import { isPtgwError } from '../../../src/core/errors.js';
import { proxyFailure } from '../../../src/protime/dispatcher.js';

const PROXY = { url: 'http://proxy.plant.local:3128', user: 'gw', password: () => 'hunter2-proxy' };

describe('proxyFailure', () => {
  it('marks a request the proxy never let through (tunnel refused, proxy not reached) as never sent to Protime', () => {
    for (const cause of [
      Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), { name: 'AbortError' }),
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:3128'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
    ]) {
      const err = proxyFailure(cause, PROXY, 'POST /clockings');
      expect(err?.endpoint, cause.message).toBe('proxy');
      expect(err?.message).not.toContain('hunter2-proxy');
    }
  });

  it('leaves a connection that timed out after it was open (the request may have reached Protime) to the usual in-doubt handling', () => {
    const cause = Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT' });
    const err = proxyFailure(cause, PROXY, 'POST /clockings');
    expect(err === undefined || err.endpoint === undefined).toBe(true);
  });

  it('is no proxy failure without a proxy', () => {
    expect(proxyFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), undefined, 'GET /people')).toBeUndefined();
    expect(isPtgwError(proxyFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), PROXY, 'GET /people'), 'SYNC_NETWORK')).toBe(true);
  });
});
