import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/buildApp.js';
import { tableRows, useBrowser, watchPage } from '../support/browser.js';
import { httpDeps } from '../support/httpDeps.js';
import { useTempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const browser = useBrowser();
const tempDir = useTempDir();
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function serve(port: number, terminals: string[]): Promise<{ app: FastifyInstance; port: number }> {
  const deps = httpDeps(tempDir());
  for (const id of terminals) deps.terminalList.push({ id, state: 'idle', accepted: 0, rejected: 0, rejectReasons: {}, lastDecision: undefined });
  const app = buildApp(deps);
  apps.push(app);
  await app.listen({ host: '127.0.0.1', port });
  return { app, port: (app.server.address() as { port: number }).port };
}

describe('the status page left open while the gateway restarts', () => {
  it('marks what it shows as old while the gateway does not answer, and clears that once it answers again', async () => {
    const first = await serve(0, ['T7']);
    const page = await browser().newPage();
    const seen = watchPage(page);
    await page.goto(`http://127.0.0.1:${first.port}/`);
    const offline = page.locator('#offline');
    expect(await offline.isVisible()).toBe(false);

    await first.app.close();
    await waitFor(async () => expect(await offline.isVisible()).toBe(true), { timeoutMs: 8000, what: 'the page to say the gateway is not answering' });
    expect(await offline.innerText()).toMatch(/not answered since/);
    expect(await tableRows(page, 'Terminals')).toEqual([['T7', 'idle', '0', '0', '', '—']]);

    await serve(first.port, ['T7', 'T8']);
    await waitFor(async () => expect((await tableRows(page, 'Terminals')).map((r) => r[0])).toEqual(['T7', 'T8']), { timeoutMs: 8000, what: 'the restarted gateway\'s status' });
    expect(await offline.isVisible()).toBe(false);
    expect(seen).toEqual({ dialogs: [], errors: [] });
  });
});
