import type { AdminService } from '../protime/admin/AdminService.js';
import type { OutboxStore } from '../cache/OutboxStore.js';
import type { SiteCalendar } from '../core/clock.js';
import type { CodeIndex } from '../core/codeIndex.js';
import type { NoUsagePolicy } from '../core/validator.js';
import type { DeviceStatus } from '../devices/DeviceConnection.js';
import type { SyncReport, SyncStatus } from '../protime/SyncEngine.js';
import type { TerminalStatus } from '../terminal/TerminalSession.js';
import type { Metrics } from './Metrics.js';

/** A lookup's structure version, and the levels and language of the terminal that would decide it. */
export interface LookupDefaults {
  structureVersion: string | undefined;
  levels: readonly number[] | undefined;
  language: string | undefined;
}

/** What the HTTP layer reads (and, for admins, triggers); the app wires the live parts in. */
export interface HttpDeps {
  version: string;
  startedAt: number;
  now: () => number;
  index: () => CodeIndex;
  /** True once the index holds a cache that some sync filled: before the first sync ever lands, every code is refused as unknown. */
  ready: () => boolean;
  /** This box's clock minus Protime's (ms), from Protime's last answer; undefined before one. */
  clockOffsetMs?: () => number | undefined;
  calendar: SiteCalendar;
  noUsagePolicy: NoUsagePolicy;
  /** What a lookup walks when the request names no structure version or levels (the app's lookupDefaults); throws INVALID_ARGUMENT for a structure version not configured. */
  lookupDefaults: (structureVersion: string | undefined) => LookupDefaults;
  sync: { status: SyncStatus; run: (options: { full?: boolean }) => Promise<SyncReport> } | undefined;
  devices: () => readonly DeviceStatus[];
  terminals: () => readonly TerminalStatus[];
  outbox: OutboxStore;
  /** Wakes the sender after rows were put back in the queue. */
  onOutboxRetry: () => void;
  /** Without a token, admin endpoints are off. */
  adminToken: (() => string) | undefined;
  metrics: Metrics;
  /** The write endpoints under /api/admin; absent when the gateway has no upstream. */
  admin?: AdminService | undefined;
}
