import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelStore } from '../../../src/cache/ModelStore.js';
import { openCache } from '../../../src/cache/openCache.js';
import { ProtimeClient } from '../../../src/protime/ProtimeClient.js';
import { SyncEngine } from '../../../src/protime/SyncEngine.js';
import { silentLogger } from '../../support/silentLogger.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const MiB = 1024 * 1024;
const ITEM = Buffer.from(`{"id":"${'x'.repeat(40)}","name":{"default":"${'n'.repeat(200)}"},"usages":[],"restrictions":[]},`);

/**
 * A Protime that hands out tokens and answers every listing with one endless page (up to 100 MiB),
 * as a runaway server or a proxy streaming something else would; counts what it got to send.
 */
async function endlessUpstream(declareLength: boolean): Promise<{ url: string; sent: () => number; server: Server }> {
  let sent = 0;
  const server = createServer((req, res) => {
    if (req.url?.includes('/connect/token') === true) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: 'tok', expires_in: 3600, token_type: 'Bearer' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(100 * MiB) } : {}) });
    res.write('{"value":[');
    const pump = (): void => {
      while (sent < 100 * MiB && !res.destroyed) {
        sent += ITEM.length;
        if (!res.write(ITEM)) return void res.once('drain', pump);
      }
      res.destroy();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent, server };
}

async function syncAgainst(url: string): Promise<{ engine: SyncEngine; store: ModelStore }> {
  const db = openCache(join(tempDir(), 'cache.sqlite'));
  const store = new ModelStore(db);
  const client = new ProtimeClient({
    baseUrl: url, authUrl: url, tenant: 'demo', clientId: 'gw', clientSecret: () => 'secret', userAgent: 't/1', logger: silentLogger(),
    backoff: { baseMs: 5, maxMs: 50 }, maxAttempts: 2, maxResponseBytes: MiB,
  });
  const engine = new SyncEngine({ client, store, targets: [{ id: 'sv', levels: 1 }], logger: silentLogger(), fullIntervalMs: 3_600_000, onIndex: () => undefined });
  const previous = cleanup;
  cleanup = async () => {
    await engine.stop();
    await client.close();
    db.close();
    await previous?.();
  };
  return { engine, store };
}

describe('an answer larger than any page should be', () => {
  it('is refused as malformed after reading no more than the limit, when it comes without a length', async () => {
    const up = await endlessUpstream(false);
    cleanup = () => new Promise<void>((r) => up.server.close(() => r()));
    const { engine, store } = await syncAgainst(up.url);
    await expect(engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE', message: expect.stringContaining('MiB') });
    // Socket buffers hold a few MiB beyond what ptgw read; the whole 100 MiB were never taken in.
    expect(up.sent()).toBeLessThan(32 * MiB);
    expect(store.loadSnapshot().definitions).toEqual([]);
  });

  it('is refused before its body is read, when its declared length is over the limit', async () => {
    const up = await endlessUpstream(true);
    cleanup = () => new Promise<void>((r) => up.server.close(() => r()));
    const { engine } = await syncAgainst(up.url);
    await expect(engine.run({ full: true })).rejects.toMatchObject({ code: 'SYNC_MALFORMED_RESPONSE', message: expect.stringContaining('MiB') });
    expect(up.sent()).toBeLessThan(32 * MiB);
  });
});
