import { afterEach, describe, expect, it } from 'vitest';
import { isPtgwError, isRetryable } from '../../../src/core/errors.js';
import { startForwardProxy, type ForwardProxy } from '../../support/forwardProxy.js';
import { syncRig, type SyncRig } from '../../support/syncHarness.js';
import { useTempDir } from '../../support/tempDir.js';

const PASSWORD = 'Pr0xy-Pa55word-of-the-plant';
const WRONG = 'Wr0ng-Pa55word-typed-in';

const tempDir = useTempDir();
const open: { rig?: SyncRig; proxy?: ForwardProxy }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.rig?.close();
    await o.proxy?.close();
  }
});

async function rigBehind(proxy: ForwardProxy, password: string): Promise<SyncRig> {
  const rig = await syncRig(tempDir(), { proxy: { url: proxy.url, user: 'gw', password: () => password } });
  open.push({ rig, proxy });
  return rig;
}

describe('a sync through an outbound proxy', () => {
  it('asks the proxy for a tunnel to Protime and sends the token and API requests through it', async () => {
    const proxy = await startForwardProxy({ auth: { user: 'gw', password: PASSWORD } });
    const rig = await rigBehind(proxy, PASSWORD);

    const report = await rig.engine.run({ full: true });

    expect(report.definitionsWritten).toBe(31);
    const simHost = new URL(rig.sim.url).host;
    expect(proxy.connects.length).toBeGreaterThan(0);
    expect(proxy.connects.every((c) => c === simHost)).toBe(true);
    expect(proxy.refused).toBe(0);
    expect(proxy.requests).toContain('POST /tenants/demo/connect/token');
    expect(proxy.requests.filter((r) => r.startsWith('GET /connector/protimeapi/api/v1/')).length).toBeGreaterThan(3);
    expect(rig.engine.status.upstreamReachable).toBe(true);
  });

  it('fails with a retryable network error naming the proxy and the 407 when it refuses the credentials, and no password anywhere', async () => {
    const proxy = await startForwardProxy({ auth: { user: 'gw', password: PASSWORD } });
    const rig = await rigBehind(proxy, WRONG);

    const err = await rig.engine.run({ full: true }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(isPtgwError(err, 'SYNC_NETWORK')).toBe(true);
    expect(isRetryable(err)).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain(`the proxy ${proxy.url} (protime.proxy) refused the credentials of user "gw"`);
    expect(message).toContain('407');
    expect(message).not.toContain('Protime refused');
    // Retried like any network failure: the rig's client makes 4 attempts, each a new tunnel.
    expect(proxy.refused).toBe(4);
    expect(rig.engine.status.lastError?.code).toBe('SYNC_NETWORK');
    expect(rig.engine.status.upstreamReachable).toBe(false);
    const everything = `${message} ${JSON.stringify(rig.engine.status)} ${rig.logs.join('')}`;
    expect(everything).not.toContain(WRONG);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(`gw:${WRONG}`).toString('base64'));
    expect(proxy.requests).toEqual([]);
  });

  it('names the proxy, not Protime, when it refuses an API request once the token is held', async () => {
    const proxy = await startForwardProxy({ auth: { user: 'gw', password: PASSWORD } });
    const rig = await rigBehind(proxy, PASSWORD);
    await rig.engine.run({ full: true });
    proxy.refuseFromNowOn();

    const err = await rig.engine.run({ full: false }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(isPtgwError(err, 'SYNC_NETWORK')).toBe(true);
    expect((err as Error).message).toMatch(/^the proxy \S+ \(protime\.proxy\) refused the credentials of user "gw" for GET \/\S+ \(407 Proxy Authentication Required\)/);
    expect((err as Error).message).not.toContain('aborted');
  });

  it('fails with a retryable network error naming the proxy when nothing listens there', async () => {
    const proxy = await startForwardProxy();
    await proxy.close();
    const rig = await syncRig(tempDir(), { proxy: { url: proxy.url } });
    open.push({ rig });

    const err = await rig.engine.run({ full: true }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(isPtgwError(err, 'SYNC_NETWORK')).toBe(true);
    expect(isRetryable(err)).toBe(true);
    expect((err as Error).message).toContain(`Cannot reach the proxy ${proxy.url} (protime.proxy)`);
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect(rig.logs.join('')).toContain('retrying');
    expect(rig.engine.status.upstreamReachable).toBe(false);
  });
});
