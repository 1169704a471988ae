import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startSimulatorProcess, type CliProcess } from '../support/cli.js';
import { startForwardProxy, type ForwardProxy } from '../support/forwardProxy.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { DEMO_FIXTURE, DEMO_SV } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';

const PASSWORD = 'Pr0xy-Pa55word-of-the-plant';
const WRONG = 'Wr0ng-Pa55word-typed-in';

const tempDir = useTempDir();
const procs: CliProcess[] = [];
const proxies: ForwardProxy[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop();
  for (const p of proxies.splice(0)) await p.close();
});

/** A gateway config against `simUrl` through the proxy as user gw, its password in proxy-password beside it. */
function configBehind(proxy: ForwardProxy, simUrl: string, password: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'proxy-password'), `${password}\n`);
  const proxyUrl = proxy.url.replace('http://', 'http://gw@');
  return writeGatewayConfig(dir, simUrl, {
    protime: { tenant: 'demo', baseUrl: simUrl, clientId: 'gw', clientSecretFile: 'client-secret', structureVersions: [{ id: DEMO_SV, levels: 3 }], proxy: proxyUrl, proxyPasswordFile: 'proxy-password' },
  });
}

describe('ptgw sync behind an outbound proxy that wants credentials', () => {
  it('syncs through it with the password of protime.proxyPasswordFile, which no output shows, and names the proxy when it refuses', async () => {
    const { proc, url } = await startSimulatorProcess(DEMO_FIXTURE);
    procs.push(proc);
    const proxy = await startForwardProxy({ auth: { user: 'gw', password: PASSWORD } });
    proxies.push(proxy);

    const good = configBehind(proxy, url, PASSWORD);
    const check = await runCli(['check-config', '--config', good]);
    expect(check.code).toBe(0);
    const sync = await runCli(['sync', '--full', '--verbose', '--config', good]);
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/31 definitions written/);
    expect(proxy.connects.length).toBeGreaterThan(0);
    expect(proxy.requests).toContain('POST /tenants/demo/connect/token');
    expect(proxy.requests.some((r) => r.startsWith('GET /connector/protimeapi/api/v1/activity-structure-versions/'))).toBe(true);
    expect(proxy.requests.some((r) => r.startsWith('GET /connector/protimeapi/api/v1/people'))).toBe(true);

    const bad = configBehind(proxy, url, WRONG);
    const refused = await runCli(['sync', '--verbose', '--config', bad], { timeoutMs: 60_000 });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('(protime.proxy) refused the credentials of user "gw"');
    expect(refused.stderr).toContain('407');

    const output = [check, sync, refused].map((r) => r.stdout + r.stderr).join('\n');
    for (const secret of [PASSWORD, WRONG, Buffer.from(`gw:${PASSWORD}`).toString('base64'), Buffer.from(`gw:${WRONG}`).toString('base64')]) {
      expect(output).not.toContain(secret);
    }
  }, 60_000);
});
