import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();

describe('ptgw run with an http.listen address that is not one of this machine', () => {
  it('says in one sentence that http.listen names no address of this machine and exits 1', async () => {
    // 192.0.2.0/24 is TEST-NET-1: documentation only, never an address of this machine.
    const config = writeGatewayConfig(tempDir(), 'http://127.0.0.1:9', { http: { listen: '192.0.2.1:18392' } });
    const r = await runCli(['run', '--config', config], { timeoutMs: 30_000 });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ptgw: [^\n]*http\.listen 192\.0\.2\.1:18392[^\n]*not an address of this machine[^\n]*\.\n$/);
  });
});
