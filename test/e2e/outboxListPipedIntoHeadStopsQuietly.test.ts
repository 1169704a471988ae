import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutboxStore } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { childEnv, PTGW_BIN } from '../support/cli.js';
import { writeGatewayConfig } from '../support/gatewayConfig.js';
import { useTempDir } from '../support/tempDir.js';
import { addClocking } from '../support/outboxRow.js';

const tempDir = useTempDir();

describe('ptgw outbox list piped into a reader that stops early (| head)', () => {
  it('ends quietly with status 0 instead of a stack trace about EPIPE', async () => {
    const dir = tempDir();
    const config = writeGatewayConfig(dir, 'http://127.0.0.1:9');
    const db = openCache(join(dir, 'cache.sqlite'));
    const outbox = new OutboxStore(db);
    // Far more than a pipe holds (64 KiB), so the listing is still writing when the reader goes.
    for (let minute = 0; minute < 1500; minute++) {
      await addClocking(outbox, minute, [{ level: 1, definitionId: 'd1', code: '1', name: 'Maintenance' }]);
    }
    db.close();

    const child = spawn(process.execPath, [PTGW_BIN, 'outbox', 'list', '--limit', '1500', '--config', config], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The reader takes the first chunk, as head does with its first lines, and closes the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const [code] = (await new Promise((resolve) => child.once('exit', (...args) => resolve(args)))) as [number | null, NodeJS.Signals | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
