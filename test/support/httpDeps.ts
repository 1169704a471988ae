import { join } from 'node:path';
import { OutboxStore } from '../../src/cache/OutboxStore.js';
import { openCache } from '../../src/cache/openCache.js';
import { SiteCalendar } from '../../src/core/clock.js';
import { CodeIndex } from '../../src/core/codeIndex.js';
import type { Snapshot } from '../../src/core/model.js';
import type { HttpDeps } from '../../src/http/HttpDeps.js';
import { Metrics } from '../../src/http/Metrics.js';
import { cacheAgeSeconds } from '../../src/http/statusJson.js';
import type { TerminalStatus } from '../../src/terminal/TerminalSession.js';
import { seedModel } from '../fixtures/seedModel.js';
import { SV } from './modelBuilder.js';

/** HttpDeps over real parts (SQLite outbox, real index), with the terminal and device lists open for tests to fill. */
export function httpDeps(dir: string, overrides: Partial<HttpDeps> & { snapshot?: Snapshot } = {}): HttpDeps & { terminalList: TerminalStatus[] } {
  const index = CodeIndex.build(overrides.snapshot ?? seedModel());
  const outbox = new OutboxStore(openCache(join(dir, 'cache.sqlite')));
  const terminalList: TerminalStatus[] = [];
  const now = (): number => Date.now();
  const base: HttpDeps = {
    version: '0.0.0-test',
    startedAt: Date.now(),
    now,
    index: () => index,
    ready: () => true,
    calendar: new SiteCalendar('Europe/Brussels'),
    noUsagePolicy: 'deny',
    lookupDefaults: (sv) => ({ structureVersion: sv ?? SV, levels: [1, 2, 3], language: undefined }),
    sync: undefined,
    devices: () => [],
    terminals: () => terminalList,
    outbox,
    onOutboxRetry: () => undefined,
    adminToken: undefined,
    metrics: new Metrics({ cacheAgeSeconds: () => cacheAgeSeconds({ index: () => index, now }), outbox: () => outbox.stats(), devices: () => [], now }),
  };
  return { ...base, ...overrides, terminalList };
}
