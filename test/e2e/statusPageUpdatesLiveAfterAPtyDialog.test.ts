import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { section, tableRows, useBrowser, useListeningGateway, watchPage } from '../support/browser.js';
import { waitFor } from '../support/waitFor.js';

const browser = useBrowser();
const startGateway = useListeningGateway();

describe('the status page left open while a worker uses a pty keypad terminal', () => {
  it('shows the accept with the masked badge without being reloaded', async () => {
    const { rig, url, dir } = await startGateway();
    const page = await browser().newPage();
    const seen = watchPage(page);
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(url);
    expect(await tableRows(page, 'Terminals')).toEqual([['T7', 'idle', '0', '0', '', '—']]);
    // A reload would lose this.
    await page.evaluate(() => ((globalThis as { stillTheSamePage?: boolean }).stillTheSamePage = true));

    const t = rig.terminal();
    expect(await t.exchange('B0001234')).toEqual(['PLevel 1']);
    expect(await t.exchange('K1')).toEqual(['PMaintenance Level 2']);
    expect(await t.exchange('K100')).toEqual(['POrder 100 Bu Level 3']);
    expect(await t.exchange('K26')).toEqual(['APainting']);

    const row = await waitFor(
      async () => {
        const rows = await tableRows(page, 'Terminals');
        expect(rows[0]?.slice(0, 5)).toEqual(['T7', 'idle', '1', '0', '']);
        return rows[0] ?? [];
      },
      { timeoutMs: 8000, what: 'the terminal row to show the accept' },
    );
    expect(row[5]).toMatch(/^ACCEPTED 26 Painting · badge \*\*\*1234 · \d+ s ago$/);
    await waitFor(async () => expect(await section(page, 'Outbox').innerText()).toContain('0 pending · 1 delivered · 0 failed'), { timeoutMs: 8000 });
    expect((await tableRows(page, 'Devices'))[0]).toEqual(['kp1', 'serial', 'connected', expect.stringMatching(/^\d+ s ago$/), '0']);

    expect(await page.evaluate(() => (globalThis as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    expect(loads).toBe(1);
    expect(await page.content()).not.toContain('0001234');
    expect(seen).toEqual({ dialogs: [], errors: [] });

    const shot = join(dir, 'status-after-accept.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(10_000);
    // IHDR: the default 1280 px wide viewport, and a full page taller than nothing.
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThan(300);
  });
});
