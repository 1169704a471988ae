import Database from 'better-sqlite3';
import { openSync, closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutboxStore } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { loadFixture, startSimulator } from '../../src/simulator/index.js';
import { runCli } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';
import { addClocking } from '../support/outboxRow.js';

const tempDir = useTempDir();

/** Overwrites the root page of the definitions table with garbage, as a failing disk or a stray write would: the outbox's own pages stay intact. */
function damageDefinitions(path: string): void {
  const db = new Database(path);
  const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'definitions'").get() as { rootpage: number };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (rootpage - 1) * pageSize);
  closeSync(fd);
}

describe('ptgw run on a cache damaged in the middle of the file', () => {
  it('exits at once with status 1, naming the file and what to do, and its undelivered clockings can still be listed', async () => {
    const sim = await startSimulator({ fixture: loadFixture(DEMO_FIXTURE) });
    try {
      const dir = tempDir();
      const config = writeGatewayConfig(dir, sim.url);
      expect((await runCli(['sync', '--config', config])).code).toBe(0);
      const path = join(dir, 'cache.sqlite');
      const db = openCache(path);
      await addClocking(new OutboxStore(db));
      db.close();
      damageDefinitions(path);

      const run = await runCli(['run', '--config', config], { timeoutMs: 20_000 });
      expect(run.signal).toBeNull();
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(path);
      expect(run.stderr).toMatch(/damaged/);
      expect(run.stderr).toMatch(/ptgw outbox list/);

      const list = await runCli(['outbox', 'list', '--config', config]);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain('1 pending');
    } finally {
      await sim.close();
    }
  });
});
