import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CliProcess } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';

const FAULT = fileURLToPath(new URL('../fixtures/faults/failOnSignal.mjs', import.meta.url));
const tempDir = useTempDir();
let sim: Simulator | undefined;
let daemon: CliProcess | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  await sim?.close();
  sim = undefined;
});

describe('ptgw run when a module fails outside any try', () => {
  for (const [kind, signal] of [['throw', 'SIGUSR2'], ['reject', 'SIGHUP']] as const) {
    it(`logs one JSON line without secrets and exits 1 so systemd restarts it (${kind})`, async () => {
      sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
      daemon = new CliProcess(['run', '--config', writeGatewayConfig(tempDir(), sim.url)], { NODE_OPTIONS: `--import ${FAULT}` });
      await daemon.waitForOutput(/"msg":"ptgw running"/, 20_000);
      daemon.child.kill(signal);
      const exit = await Promise.race([daemon.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
      expect(exit).toEqual({ code: 1, signal: null });
      const lines = daemon.stdout.split('\n').filter((l) => l !== '');
      expect(lines.every((l) => l.startsWith('{'))).toBe(true);
      const fatal = lines.map((l) => JSON.parse(l) as { level: number; err?: { code?: string } }).filter((l) => l.level === 60);
      expect(fatal).toHaveLength(1);
      expect(fatal[0]?.err?.code).toBe('E_INJECTED');
      // Node's own report (a stack on stderr) is not how it ends.
      expect(daemon.stderr).toBe('');
      expect(daemon.stdout + daemon.stderr).not.toContain('leaked-token');
    }, 40_000);
  }
});
