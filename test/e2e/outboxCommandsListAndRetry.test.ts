import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { OutboxStore } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { runCli } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { useTempDir } from '../support/tempDir.js';
import { addClocking } from '../support/outboxRow.js';

const tempDir = useTempDir();

describe('ptgw outbox list and retry', () => {
  it('show the queue with refusals explained, and put failed rows back', async () => {
    const dir = tempDir();
    const config = writeGatewayConfig(dir, 'http://127.0.0.1:9');
    const db = openCache(join(dir, 'cache.sqlite'));
    const outbox = new OutboxStore(db);
    const row = (minute: number) =>
      addClocking(outbox, minute, [{ level: 1, definitionId: 'd1', code: '1', name: 'Maintenance' }]);
    const delivered = await row(480);
    const failed = await row(490);
    await row(500);
    // A dialog finished after midnight: minute 1445 of the badge's date, as Protime gets it.
    await row(1445);
    await outbox.markDelivered([{ id: delivered.id, at: 1_700_000_100_000, location: '/clockings/1', sent: true }]);
    await outbox.markFailed(failed.id, 'Protime answered POST /clockings with 400: person: unknown person.');
    db.close();

    const all = await runCli(['outbox', 'list', '--config', config]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('2 pending, 1 delivered, 1 failed');
    expect(all.stdout).toContain('2025-03-04 08:10 ');
    expect(all.stdout).toContain('2025-03-04 24:05 (00:05 next day) ');
    // Created at 2023-11-14T22:13:20.480Z: the site's time (Brussels, winter), with its offset.
    expect(all.stdout).toContain(' 2023-11-14 23:13:20 +01:00 ');
    expect(all.stdout).not.toMatch(/\dT\d{2}:\d{2}:\d{2}\.\d{3}Z/);
    expect(all.stdout).toContain('unknown person');

    const json = JSON.parse((await runCli(['outbox', 'list', '--state', 'failed', '--json', '--config', config])).stdout) as { rows: { id: string; state: string; createdAt: number; createdAtLocal: string }[] };
    expect(json.rows.map((r) => [r.id, r.state])).toEqual([[failed.id, 'failed']]);
    // The epoch milliseconds stay for existing consumers; beside them the site's time as ISO 8601 with its offset.
    expect(json.rows[0]?.createdAt).toBe(1_700_000_000_490);
    expect(json.rows[0]?.createdAtLocal).toBe('2023-11-14T23:13:20+01:00');
    expect(Date.parse(json.rows[0]?.createdAtLocal ?? '')).toBe(1_700_000_000_000);

    const notFailed = await runCli(['outbox', 'retry', delivered.id, '--config', config]);
    expect(notFailed.code).toBe(2);
    expect(notFailed.stderr).toContain('is delivered, not failed');

    const retried = await runCli(['outbox', 'retry', '--failed', '--config', config]);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('1 row(s) back in the queue');
    expect((await runCli(['outbox', 'list', '--config', config])).stdout).toContain('3 pending, 1 delivered, 0 failed');

    expect((await runCli(['outbox', 'list', '--state', 'lost', '--config', config])).code).toBe(2);
    expect((await runCli(['outbox', 'retry', '--config', config])).code).toBe(2);
  });
});
