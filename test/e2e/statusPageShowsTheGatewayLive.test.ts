import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';
import { useGatewayRig } from '../support/gatewayRig.js';
import { waitFor } from '../support/waitFor.js';

const browser = useBrowser();
const startRig = useGatewayRig();

async function listening(rig: Awaited<ReturnType<typeof startRig>>): Promise<string> {
  return rig.gateway.app.listen({ host: '127.0.0.1', port: 0 });
}

describe('the status page in a real browser', () => {
  it('loads, lists the terminals, works without JavaScript, and updates live after a dialog on a pty', async () => {
    const rig = await startRig();
    const url = await listening(rig);
    const noJs = await browser().newContext({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(url);
    expect(await plain.title()).toBe('ptgw status');
    const plainText = await plain.locator('body').innerText();
    expect(plainText).toContain('T7');
    expect(plainText).toContain('kp1');
    expect(plainText).toMatch(/Sync\s+ok/);
    await noJs.close();

    const page = await browser().newPage();
    await page.goto(url);
    const t = rig.terminal();
    await t.exchange('B0001234');
    await t.exchange('K1');
    await t.exchange('K100');
    await t.exchange('K26');
    // No reload: the page refreshes its live part by itself.
    await waitFor(async () => expect(await page.locator('#live').innerText()).toMatch(/ACCEPTED 26 Painting · badge \*\*\*1234/), { timeoutMs: 10_000 });
    const text = await page.locator('#live').innerText();
    expect(text).not.toContain('0001234');
    const shot = join(rig.pairs[0]?.gatewayPath ?? '', '..', 'status.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('explains a reject through the lookup form, with and without JavaScript', async () => {
    const rig = await startRig();
    const url = await listening(rig);
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser().newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(url);
      await page.fill('input[name=badge]', '0001234');
      await page.fill('input[name=codes]', '2,200,2004');
      await page.fill('input[name=date]', '2025-03-04');
      await Promise.all([page.waitForURL(/badge=0001234/), page.click('button[type=submit]')]);
      const result = await page.locator('#lookup-result').innerText();
      expect(result).toContain('NO_USAGE');
      expect(result).toContain('has no usages, so nobody may book on it');
      await context.close();
    }
  });

  it('shows a definition named like HTML as text, never as markup', async () => {
    const rig = await startRig();
    const url = await listening(rig);
    const t = rig.terminal();
    await t.exchange('B0001234');
    await t.exchange('K2');
    await t.exchange('K200');
    await t.exchange('K2005');
    const page = await browser().newPage();
    let dialogs = 0;
    page.on('dialog', () => void dialogs++);
    await page.goto(`${url}/?badge=0001234&codes=2,200,2005&date=2025-03-04`);
    expect(await page.locator('#lookup-result').innerText()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('#live').innerText()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('img').count()).toBe(0);
    await page.waitForTimeout(2500); // one live refresh later, still text
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toBe(0);
    await page.close();
  });
});
