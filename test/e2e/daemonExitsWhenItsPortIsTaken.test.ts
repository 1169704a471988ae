import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();

describe('ptgw run with its HTTP port already taken', () => {
  it('says so in one sentence and exits 1 instead of hanging', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const config = writeGatewayConfig(tempDir(), 'http://127.0.0.1:9', { http: { listen: `127.0.0.1:${port}` } });
      const r = await runCli(['run', '--config', config], { timeoutMs: 30_000 });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^ptgw: [^\\n]*http\\.listen 127\\.0\\.0\\.1:${port}[^\\n]*in use by another program[^\\n]*\\.\\n$`));
    } finally {
      blocker.close();
    }
  });
});
