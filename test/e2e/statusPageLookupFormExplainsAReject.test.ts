import { describe, expect, it } from 'vitest';
import { useBrowser, useListeningGateway, watchPage } from '../support/browser.js';

const browser = useBrowser();
const startGateway = useListeningGateway();

describe('the lookup form on the status page', () => {
  it('explains why badge 0001234 may not book 2 > 200 > 2004, with and without JavaScript', async () => {
    const { url } = await startGateway();
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser().newContext({ javaScriptEnabled });
      const page = await context.newPage();
      const seen = watchPage(page);
      await page.goto(url);
      expect(await page.locator('#lookup-result').count()).toBe(0);
      await page.getByLabel('Badge').fill('0001234');
      await page.getByLabel('Codes').fill('2,200,2004');
      await page.getByLabel('Date').fill('2025-03-04');
      await Promise.all([page.waitForURL(/badge=/), page.getByRole('button', { name: 'Explain' }).click()]);

      expect(page.url()).toBe(`${url}/?badge=0001234&codes=2%2C200%2C2004&date=2025-03-04#lookup`);
      const verdict = page.locator('#lookup-result > p');
      expect(await verdict.innerText()).toBe('NO_USAGE');
      expect(await verdict.getAttribute('class')).toBe('bad');
      expect(await page.locator('#lookup-result li').allInnerTexts()).toEqual([
        'level 1 · 2 · ACCEPTED · Production — Code 2 (Production) accepted.',
        'level 2 · 200 · ACCEPTED · Order 200 Line A — Code 200 (Order 200 Line A) accepted.',
        'level 3 · 2004 · NO_USAGE · Rework — Code 2004 (Rework) has no usages, so nobody may book on it.',
      ]);
      // The form keeps what was asked, to correct and ask again.
      expect(await page.getByLabel('Badge').inputValue()).toBe('0001234');
      expect(await page.getByLabel('Codes').inputValue()).toBe('2,200,2004');
      expect(await page.getByLabel('Date').inputValue()).toBe('2025-03-04');
      // A lookup is not a dialog: the terminal counters stay untouched.
      expect(await page.locator('#live tbody tr').first().innerText()).toMatch(/^T7\tidle\t0\t0\t\t—$/);
      expect(seen).toEqual({ dialogs: [], errors: [] });
      await context.close();
    }
  });
});
