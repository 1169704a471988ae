import type { FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/buildApp.js';
import { tableRows, useBrowser, watchPage } from '../support/browser.js';
import { httpDeps } from '../support/httpDeps.js';
import { useTempDir } from '../support/tempDir.js';
import { waitFor } from '../support/waitFor.js';

const browser = useBrowser();
const tempDir = useTempDir();
let app: FastifyInstance | undefined;
let other: Server | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await new Promise((resolve) => (other === undefined ? resolve(undefined) : other.close(resolve)));
  other = undefined;
});

async function serveGateway(): Promise<string> {
  const deps = httpDeps(tempDir());
  deps.terminalList.push({ id: 'T7', state: 'idle', accepted: 0, rejected: 0, rejectReasons: {}, lastDecision: undefined });
  app = buildApp(deps);
  return app.listen({ host: '127.0.0.1', port: 0 });
}

/** A page of another origin (another port) that frames the status page, as a hostile page on the LAN would. */
async function serveFramingPage(gateway: string): Promise<string> {
  other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe id="gw" src="${gateway}/"></iframe>`));
  await new Promise<void>((resolve) => other?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(other.address() as { port: number }).port}/`;
}

describe('the status page against a hostile page and a slip in escaping', () => {
  it('refuses to be framed by another origin', async () => {
    const gateway = await serveGateway();
    const page = await browser().newPage();
    await page.goto(await serveFramingPage(gateway));
    const frame = await waitFor(() => {
      const f = page.frames().find((x) => x !== page.mainFrame());
      if (f === undefined || f.url() === 'about:blank') throw new Error('the frame has not navigated yet');
      return f;
    });
    await frame.waitForLoadState();
    expect(await frame.locator('h1', { hasText: 'Protime terminal gateway' }).count()).toBe(0);
  });

  it('runs no script that markup slipped into it brings, while its own live refresh keeps working', async () => {
    const gateway = await serveGateway();
    const page = await browser().newPage();
    const seen = watchPage(page);
    await page.goto(`${gateway}/`);
    // The page's own style is allowed (its hash is in the policy).
    expect(await page.evaluate("getComputedStyle(document.querySelector('table')).borderCollapse")).toBe('collapse');
    // As if a name from upstream had reached the page unescaped: an event handler and a script element
    // (both would run synchronously here if allowed; the violations are reported afterwards).
    // (Strings: the tests compile without the DOM library; this runs in the page.)
    const ran = await page.evaluate(`(() => {
      window.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.effectiveDirective));
      document.body.insertAdjacentHTML('beforeend', '<svg><a id="slip"><rect width="10" height="10" onclick="window.ran = (window.ran ?? 0) + 1"></rect></a></svg>');
      document.querySelector('#slip rect').dispatchEvent(new MouseEvent('click'));
      const s = document.createElement('script');
      s.textContent = 'window.ran = (window.ran ?? 0) + 1';
      document.body.append(s);
      return window.ran;
    })()`);
    expect(ran).toBeUndefined();
    await waitFor(async () => expect((await page.evaluate<string[]>('window.violations')).sort()).toEqual(['script-src-attr', 'script-src-elem']));
    // The page's own script is allowed: it swaps in the fragment every 2 s (the terminal row is re-rendered).
    await page.evaluate("document.querySelector('#live tbody tr').remove()");
    await waitFor(async () => expect(await tableRows(page, 'Terminals')).toEqual([['T7', 'idle', '0', '0', '', '—']]), { timeoutMs: 8000 });
    expect(seen).toEqual({ dialogs: [], errors: [] });
  });

  it('tells browsers not to guess content types or send its addresses (badges in a lookup) elsewhere', async () => {
    const gateway = await serveGateway();
    for (const path of ['/', '/status-fragment', '/api/status', '/api/lookup?badge=0001234&codes=1', '/metrics', '/no-such-page']) {
      const res = await fetch(`${gateway}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });
});
