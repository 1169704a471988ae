import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { daemonProcess } from '../support/daemonProcess.js';
import { usePerTest } from '../support/perTest.js';

const FAULT = fileURLToPath(new URL('../fixtures/faults/failOnSignal.mjs', import.meta.url));
const startDaemon = usePerTest(daemonProcess);

describe('ptgw run when a module fails outside any try', () => {
  for (const [kind, signal] of [['throw', 'SIGUSR2'], ['reject', 'SIGHUP']] as const) {
    it(`logs one JSON line without secrets and exits 1 so systemd restarts it (${kind})`, async () => {
      const { daemon } = await startDaemon({ env: { NODE_OPTIONS: `--import ${FAULT}` } });
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
