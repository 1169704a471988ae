import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/app/version.js';
import { section, tableRows, useBrowser, useListeningGateway, watchPage } from '../support/browser.js';

const browser = useBrowser();
const startGateway = useListeningGateway();

describe('the status page of a freshly synced gateway with one pty keypad terminal', () => {
  it('shows the version, a healthy sync, terminal T7 and its keypad, with and without JavaScript', async () => {
    const { url } = await startGateway();
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser().newContext({ javaScriptEnabled });
      const page = await context.newPage();
      const seen = watchPage(page);
      const res = await page.goto(url);
      expect(res?.status()).toBe(200);
      expect(res?.headers()['content-type']).toBe('text/html; charset=utf-8');

      expect(await page.title()).toBe('ptgw status');
      expect(await page.locator('h1').innerText()).toBe(`Protime terminal gateway ${VERSION}`);
      const sync = section(page, 'Sync');
      expect(await sync.locator('span.ok').first().innerText()).toBe('ok');
      expect(await sync.locator('span.bad').count()).toBe(0);
      expect(await sync.innerText()).toMatch(/ok · last success \d+ s ago · cache age \d+ s\s+· upstream reachable/);
      expect(await sync.innerText()).toContain('Cache: 31 definitions, 33 usages, 2 restrictions, 5 people.');
      expect(await tableRows(page, 'Terminals')).toEqual([['T7', 'idle', '0', '0', '', '—']]);
      expect(await tableRows(page, 'Devices')).toEqual([['kp1', 'serial', 'connected', 'never', '0']]);
      expect(await section(page, 'Outbox').innerText()).toContain('0 pending · 0 delivered · 0 failed');
      expect(await page.locator('#lookup form button[type=submit]').innerText()).toBe('Explain');
      // Without script the page cannot refresh itself and says so. (Chromium keeps parsing <noscript>
      // as script-enabled when scripts are only switched off for the page, so check the element, not its box.)
      expect(await page.locator('noscript').textContent()).toBe('Reload the page to refresh.');
      expect(seen).toEqual({ dialogs: [], errors: [] });
      await context.close();
    }
  });
});
