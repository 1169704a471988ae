import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Rewrite } from '../../support/rewritingProxy.js';
import { syncRig } from '../../support/syncHarness.js';
import { usePerTest } from '../../support/perTest.js';

const startRig = usePerTest(syncRig);

type ListPage = { value: unknown[]; nextLink?: string | null; deltaLink?: string | null };

/** Rewrites the JSON page of every answer `pick` chooses (once `armed`), leaving the others as the simulator sent them. */
function pages(pick: (path: string) => boolean, edit: (page: ListPage, path: string) => void): { rewrite: Rewrite; arm: () => void } {
  let armed = false;
  return {
    arm: () => void (armed = true),
    rewrite: (_method, path, status, headers, body) => {
      if (!armed || status !== 200 || !pick(path)) return undefined;
      const page = JSON.parse(body) as ListPage;
      edit(page, path);
      return { status, headers, body: JSON.stringify(page) };
    },
  };
}

describe('next links a listing cannot safely follow', () => {
  it('fails as a malformed answer naming the repeated link, and leaves the cache as it was, when a page links to itself', async () => {
    const loop = pages(
      (p) => p.includes('/levels/2/activity-definitions?') && p.includes('continuationToken='),
      (page, path) => void (page.nextLink = path),
    );
    const rig = await startRig({ sim: { pageSize: 2 }, rewrite: loop.rewrite });
    await rig.engine.run({ full: true });
    const before = rig.store.loadSnapshot();
    loop.arm();
    await expect(rig.engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE', message: expect.stringContaining('continuationToken') });
    expect(rig.store.loadSnapshot()).toEqual(before);
  });

  it('fails the same way when the pages cycle back to the first one (A, B, A)', async () => {
    let first = '';
    const loop = pages(
      (p) => p.includes('/levels/2/activity-definitions?'),
      (page, path) => {
        if (!path.includes('continuationToken=')) first = path;
        else page.nextLink = first;
      },
    );
    const rig = await startRig({ sim: { pageSize: 2 }, rewrite: loop.rewrite });
    loop.arm();
    await expect(rig.engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE' });
    expect(rig.store.loadSnapshot().definitions).toEqual([]);
  });

  it('fails when a delta answer links to itself instead of ending with a new delta link', async () => {
    const loop = pages(
      (p) => p.includes('/delta/activity-definitions'),
      (page, path) => {
        page.nextLink = path;
        delete page.deltaLink;
      },
    );
    const rig = await startRig({ edit: (f) => void (f.deltaCollections = ['activity-definitions']), rewrite: loop.rewrite });
    await rig.engine.run({ full: true });
    const before = rig.store.loadSnapshot();
    const cursors = rig.db.prepare('SELECT collection, value FROM sync_cursors').all();
    loop.arm();
    await expect(rig.engine.run()).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE' });
    expect(rig.store.loadSnapshot()).toEqual(before);
    expect(rig.db.prepare('SELECT collection, value FROM sync_cursors').all()).toEqual(cursors);
  });

  it('fails when a people listing links to itself', async () => {
    const loop = pages(
      (p) => p.includes('/people?'),
      (page, path) => void (page.nextLink = path),
    );
    const rig = await startRig({ rewrite: loop.rewrite });
    await rig.engine.run({ full: true });
    const before = rig.store.loadSnapshot();
    loop.arm();
    await expect(rig.engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE' });
    expect(rig.store.loadSnapshot()).toEqual(before);
  });

  it('never follows a next link to another server, so the token is not sent there', async () => {
    const seen: (string | undefined)[] = [];
    const elsewhere = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.end('{"value":[]}');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', () => r()));
    try {
      const foreign = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/connector/protimeapi/api/v1/people?continuationToken=x`;
      const loop = pages(
        (p) => p.includes('/levels/1/activity-definitions?'),
        (page) => void (page.nextLink = foreign),
      );
      const rig = await startRig({ rewrite: loop.rewrite });
      loop.arm();
      await expect(rig.engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE', message: expect.stringContaining('another server') });
      expect(seen).toEqual([]);
    } finally {
      await new Promise<void>((r) => elsewhere.close(() => r()));
    }
  });
});
