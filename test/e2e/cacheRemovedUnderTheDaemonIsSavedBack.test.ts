import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutboxStore } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { runCli } from '../support/cli.js';
import { daemonProcess } from '../support/daemonProcess.js';
import { useTempDir } from '../support/tempDir.js';
import { addClocking } from '../support/outboxRow.js';

const tempDir = useTempDir();

describe('the cache file removed while ptgw run has it open', () => {
  it('is saved back to its path with its undelivered clocking, and the daemon exits 1 so that systemd starts it on it again', async () => {
    const dir = tempDir();
    const path = join(dir, 'cache.sqlite');
    // A clocking Protime has not taken yet (it refuses every POST below): in the cache only.
    const db = openCache(path);
    await addClocking(new OutboxStore(db));
    db.close();
    const rig = await daemonProcess(dir, { prepare: (sim) => sim.faults.add({ kind: 'status', status: 503, times: -1, match: { method: 'POST', path: '/clockings' } }) });
    try {
      await rig.daemon.waitForOutput(/"msg":"sync done/, 20_000);
      // "Cleaning up" the state folder: SQLite keeps writing into the open, now nameless, file.
      for (const f of readdirSync(dir).filter((n) => n.startsWith('cache.sqlite'))) rmSync(join(dir, f));

      await rig.daemon.waitForOutput(/"code":"CACHE_FILE_LOST"/, 20_000);
      expect(await rig.daemon.exited).toMatchObject({ code: 1 });

      const list = await runCli(['outbox', 'list', '--json', '--config', join(dir, 'config.yaml')]);
      expect(list.code).toBe(0);
      const saved = JSON.parse(list.stdout) as { stats: { delivered: number }; rows: { terminalId: string; personId: number; state: string }[] };
      expect(saved.rows).toMatchObject([{ terminalId: 'T7', personId: 1234 }]);
      expect(saved.rows[0]?.state).not.toBe('delivered');
    } finally {
      await rig.close();
    }
  });
});
