import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Gateway } from '../../../src/app/Gateway.js';
import { loadConfig } from '../../../src/app/config/loadConfig.js';
import { createLogger } from '../../../src/app/logger.js';
import { isPtgwError } from '../../../src/core/errors.js';
import { loadFixture, startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { startForwardProxy } from '../../support/forwardProxy.js';
import { writeGatewayConfig } from '../../support/gatewayConfig.js';
import { DEMO_FIXTURE, DEMO_SV } from '../../support/syncHarness.js';
import { useTempDir } from '../../support/tempDir.js';

const PASSWORD = 'Pr0xy-Pa55word-of-the-plant';

const tempDir = useTempDir();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('a gateway whose outbound proxy goes down', () => {
  it('synced through it, then fails its sync with SYNC_NETWORK naming the proxy, shows that in /api/status, and logs no password', async () => {
    const sim: Simulator = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    closers.push(() => sim.close());
    const proxy = await startForwardProxy({ auth: { user: 'gw', password: PASSWORD } });
    closers.push(() => proxy.close());
    const dir = tempDir();
    writeFileSync(join(dir, 'proxy-password'), PASSWORD);
    const file = writeGatewayConfig(dir, sim.url, {
      protime: { tenant: 'demo', baseUrl: sim.url, clientId: 'gw', clientSecretFile: 'client-secret', structureVersions: [{ id: DEMO_SV, levels: 3 }], proxy: proxy.url.replace('//', '//gw@'), proxyPasswordFile: 'proxy-password' },
    });
    const lines: string[] = [];
    const gateway = new Gateway({ config: loadConfig({ path: file, env: {} }), logger: createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } }) });
    closers.push(() => gateway.stop());

    await gateway.sync.run({ full: true });
    expect(proxy.requests).toContain('POST /tenants/demo/connect/token');
    await proxy.close();

    const err = await gateway.sync.run({ full: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPtgwError(err, 'SYNC_NETWORK')).toBe(true);

    const res = await gateway.app.inject({ method: 'GET', url: '/api/status' });
    const sync = (res.json() as { sync: { state: string; upstreamReachable: boolean; lastError: { code: string; message: string } } }).sync;
    expect(sync.state).toBe('error');
    expect(sync.upstreamReachable).toBe(false);
    expect(sync.lastError.code).toBe('SYNC_NETWORK');
    expect(sync.lastError.message).toContain(`the proxy ${proxy.url} (protime.proxy)`);
    expect(sync.lastError.message).toContain('ECONNREFUSED');

    const page = await gateway.app.inject({ method: 'GET', url: '/' });
    expect(page.body).toContain('protime.proxy');
    const everything = [res.body, page.body, (await gateway.app.inject({ method: 'GET', url: '/metrics' })).body, ...lines].join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(`gw:${PASSWORD}`).toString('base64'));
  });
});
