import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { gatewayRig, type GatewayRig } from './gatewayRig.js';
import { useTempDir } from './tempDir.js';

/**
 * Debian's Chromium, headless, for one test file. The flags keep it from reaching for the
 * network (the machine has none) and from needing a GPU or a sandbox as root.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error('the browser starts in beforeAll');
    return browser;
  };
}

export interface ListeningGateway {
  rig: GatewayRig;
  /** The status page, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The test's temporary folder (config, cache, ptys); removed after the test. */
  dir: string;
}

/**
 * For a test file: the whole gateway (gatewayRig: simulator, pty keypad terminals) with its HTTP
 * app listening on 127.0.0.1 at a free port, as a browser sees it. Closed after each test.
 */
export function useListeningGateway(): (options?: Parameters<typeof gatewayRig>[1]) => Promise<ListeningGateway> {
  const tempDir = useTempDir();
  let current: GatewayRig | undefined;
  // Registered after useTempDir's hook, so it runs before the folder is removed.
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => {
    const dir = tempDir();
    const rig = (current = await gatewayRig(dir, options));
    const url = await rig.gateway.app.listen({ host: '127.0.0.1', port: 0 });
    return { rig, url, dir };
  };
}

/** What a page did that a safe status page never makes it do: alert/confirm dialogs and script errors. */
export function watchPage(page: Page): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (err) => seen.errors.push(err.message));
  return seen;
}

/** A section of the status page by its heading ("Sync", "Terminals", …). */
export function section(page: Page, heading: string): Locator {
  return page.locator('section', { has: page.locator('h2', { hasText: heading }) });
}

/** The rows of a section's table, each as its cells' visible texts. */
export async function tableRows(page: Page, heading: string): Promise<string[][]> {
  const rows = section(page, heading).locator('tbody tr');
  const out: string[][] = [];
  for (const row of await rows.all()) out.push((await row.locator('td').allInnerTexts()).map((t) => t.trim()));
  return out;
}
