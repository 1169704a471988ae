import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelStore } from '../../src/cache/ModelStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { loadFixture, startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CliProcess, runCli } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { DEMO_FIXTURE } from '../support/syncHarness.js';
import { useTempDir } from '../support/tempDir.js';

const tempDir = useTempDir();
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** What a lookup can see: every definition with its name and usages, people with badges, and the cursors. */
function fingerprint(cachePath: string): string {
  const db = openCache(cachePath);
  try {
    const s = new ModelStore(db).loadSnapshot();
    const defs = s.definitions.map((d) => `${d.id}=${d.name.default}@${d.changeVersion}`).sort();
    const usages = s.usages.map((u) => `${u.definitionId}:${u.kind}:${u.reference}:${u.from}`).sort();
    const people = s.people.map((p) => `${p.id}:${p.badges.join('/')}`).sort();
    return JSON.stringify({ defs, usages, people, syncedAt: s.syncedAt !== undefined });
  } finally {
    db.close();
  }
}

describe('a sync killed with SIGKILL at random points', () => {
  it('leaves the cache in the old state or the new one, never a mix', async () => {
    const fixture = loadFixture(DEMO_FIXTURE);
    sim = await startSimulator({ fixture, pageSize: 2 });
    const dir = tempDir();
    const config = writeGatewayConfig(dir, sim.url);
    const cache = join(dir, 'cache.sqlite');
    expect((await runCli(['sync', '--config', config])).code).toBe(0);
    const oldState = fingerprint(cache);
    copyFileSync(cache, join(dir, 'old.sqlite'));

    // Upstream changes a lot: every definition renamed, some deleted, one added, a person gone.
    for (const d of fixture.definitions) {
      const current = sim.store.definition(d.id);
      if (current !== undefined) sim.store.upsertDefinition({ ...current, name: { default: `${current.name.default} v2`, translations: {} } });
    }
    sim.store.deleteDefinition('0000d0d0-0000-0000-4000-800000000fa1');
    sim.store.deletePerson(42);
    // Each request takes a little while, so the kill lands at different points of the sync.
    sim.faults.add({ kind: 'latency', ms: 3, times: -1 });

    for (const suffix of ['-wal', '-shm']) rmSync(cache + suffix, { force: true });
    copyFileSync(join(dir, 'old.sqlite'), cache);
    const started = Date.now();
    expect((await runCli(['sync', '--full', '--config', config])).code).toBe(0);
    const fullMs = Date.now() - started;
    const newState = fingerprint(cache);
    expect(newState).not.toBe(oldState);

    let killedBeforeTheCommit = 0;
    for (let run = 0; run < 10; run++) {
      // A killed writer leaves its WAL behind; it belongs to the previous run, not to the fresh copy.
      for (const suffix of ['-wal', '-shm']) rmSync(cache + suffix, { force: true });
      copyFileSync(join(dir, 'old.sqlite'), cache);
      const child = new CliProcess(['sync', '--full', '--config', config]);
      const delay = Math.floor(((run + 0.5) / 10) * fullMs * 1.1);
      await new Promise((r) => setTimeout(r, delay));
      await child.stop('SIGKILL');
      const state = fingerprint(cache);
      expect([oldState, newState]).toContain(state);
      if (state === oldState) killedBeforeTheCommit++;
    }
    // Some kills landed before the commit, or no kill interrupted a sync and the test proved nothing.
    expect(killedBeforeTheCommit).toBeGreaterThan(0);
  });
});
