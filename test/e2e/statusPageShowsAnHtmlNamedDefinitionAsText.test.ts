import { describe, expect, it } from 'vitest';
import { tableRows, useBrowser, useListeningGateway, watchPage } from '../support/browser.js';
import { waitFor } from '../support/waitFor.js';

const browser = useBrowser();
const startGateway = useListeningGateway();
const NAME = '<img src=x onerror=alert(1)>';

describe('a definition named <img src=x onerror=alert(1)> (code 2005 under Production > Order 200)', () => {
  it('appears as text in the live terminal row and in the lookup, and never runs', async () => {
    const { rig, url } = await startGateway();
    const page = await browser().newPage();
    const seen = watchPage(page);
    const imageRequests: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'image') imageRequests.push(r.url());
    });
    await page.goto(url);

    // Through the live refresh (the page swaps in server-rendered HTML): first a reject, then the accept.
    const t = rig.terminal();
    await t.exchange('B0001234');
    await t.exchange('K1');
    await t.exchange('K100');
    expect(await t.exchange('K2005')).toEqual(['R2005 Wrong parent']);
    const lastDecision = (): Promise<string | undefined> => tableRows(page, 'Terminals').then((rows) => rows[0]?.[5]);
    await waitFor(async () => expect(await lastDecision()).toMatch(/^WRONG_PARENT 2005 <img src=x onerror=alert\(1\)> · badge \*\*\*1234 · /), { timeoutMs: 8000 });
    expect(await t.exchange('C', 2)).toEqual(['RCancelled', 'IPresent badge']);
    await t.exchange('B0001234');
    await t.exchange('K2');
    await t.exchange('K200');
    expect(await t.exchange('K2005')).toEqual(['A<img src=x onerror=a']);
    await waitFor(async () => expect(await lastDecision()).toMatch(/^ACCEPTED 2005 <img src=x onerror=alert\(1\)> · badge \*\*\*1234 · /), { timeoutMs: 8000 });
    expect(await page.locator('img').count()).toBe(0);

    // Through the server-rendered page: the lookup form, whose result names every step.
    await page.getByLabel('Badge').fill('0001234');
    await page.getByLabel('Codes').fill('2,200,2005');
    await page.getByLabel('Date').fill('2025-03-04');
    await Promise.all([page.waitForURL(/codes=/), page.getByRole('button', { name: 'Explain' }).click()]);
    expect(await page.locator('#lookup-result li').nth(2).innerText()).toBe(`level 3 · 2005 · ACCEPTED · ${NAME} — Code 2005 (${NAME}) accepted.`);
    expect(await page.locator('#live').innerText()).toContain(`ACCEPTED 2005 ${NAME}`);

    expect(await page.locator('body').innerText()).toContain(NAME);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('[onerror]').count()).toBe(0);
    expect(imageRequests).toEqual([]);
    expect(seen).toEqual({ dialogs: [], errors: [] });
  });
});
