import { describe, expect, it } from 'vitest';
import { useListeningGateway } from '../support/browser.js';
import { runCli } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();
const startGateway = useListeningGateway();

// A mistyped structure version used to come back as UNKNOWN_CODE on every code, as if the codes were wrong.
describe('a lookup of a structure version this gateway is not configured for', () => {
  it('is a usage error of ptgw lookup naming the structure version, exit 2, not a decision', async () => {
    const config = writeGatewayConfig(tempDir(), 'http://127.0.0.1:9');
    const r = await runCli(['lookup', '--config', config, '--badge', '0001234', '--structure-version', 'b2347a7a-typo', '--json', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ptgw: .*"b2347a7a-typo".*protime\.structureVersions.*\n$/);
  });

  it('is a 400 of /api/lookup naming the field structureVersion', async () => {
    const { url } = await startGateway();
    const res = await fetch(`${url}/api/lookup?badge=0001234&codes=1&structureVersion=b2347a7a-typo`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('structureVersion');
  });
});
