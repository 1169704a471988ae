import type { Database } from 'better-sqlite3';
import { renameSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { cacheError } from '../cache/cacheError.js';
import { CacheFileWatch, type CacheFileChange } from '../cache/CacheFileWatch.js';
import { Checkpointer } from '../cache/Checkpointer.js';
import { DurableWriter } from '../cache/DurableWriter.js';
import { ModelStore } from '../cache/ModelStore.js';
import { OutboxStore, type TerminalRef } from '../cache/OutboxStore.js';
import { openCache } from '../cache/openCache.js';
import { saveOpenCache } from '../cache/saveOpenCache.js';
import { SiteCalendar } from '../core/clock.js';
import type { CodeIndex } from '../core/codeIndex.js';
import { isPtgwError, PtgwError } from '../core/errors.js';
import type { Selection } from '../core/dialog.js';
import type { OpenDevice } from '../devices/ByteStream.js';
import { DeviceConnection } from '../devices/DeviceConnection.js';
import type { InputEvent } from '../devices/FrameClassifier.js';
import { createOpenDevice } from '../devices/openDevice.js';
import { buildApp } from '../http/buildApp.js';
import { Metrics } from '../http/Metrics.js';
import { cacheAgeSeconds } from '../http/statusJson.js';
import { AdminService } from '../protime/admin/AdminService.js';
import { ClockingSender } from '../protime/ClockingSender.js';
import type { ProtimeClient } from '../protime/ProtimeClient.js';
import type { SyncEngine } from '../protime/SyncEngine.js';
import { TerminalSession } from '../terminal/TerminalSession.js';
import { configInvalid, type Config } from './config/loadConfig.js';
import { listenFailed } from './config/listen.js';
import { deviceTargets, profilesFor } from './deviceTarget.js';
import { lookupDefaults } from './lookupDefaults.js';
import { createClient, createSyncEngine } from './upstream.js';
import { VERSION } from './version.js';

export interface GatewayDeps {
  config: Config;
  logger: Logger;
  openDevice?: OpenDevice;
  now?: () => number;
  /** Delivery retry pacing; default 1 s doubling to outbox.retryMaxSeconds. */
  senderBackoff?: { baseMs: number; maxMs: number };
  /**
   * Called once the gateway has stopped because its cache file was removed or replaced under it
   * (after saving what the open connection holds): the daemon should exit then, with a failure,
   * so that systemd starts it again on the file at the path.
   */
  onCacheLost?: (err: PtgwError) => void;
}

const PRUNE_INTERVAL_MS = 3_600_000;
const CHECKPOINT_INTERVAL_MS = 5000;
/** How long requests in flight get to finish at shutdown before their connections are cut. */
const HTTP_CLOSE_GRACE_MS = 2000;

/**
 * The daemon's parts wired together. The cache is loaded into the index before anything touches
 * the network, so terminals answer from the first second even with the upstream down.
 */
export class Gateway {
  readonly config: Config;
  readonly db: Database;
  readonly models: ModelStore;
  readonly outbox: OutboxStore;
  readonly client: ProtimeClient;
  readonly sync: SyncEngine;
  readonly sender: ClockingSender;
  readonly devices: DeviceConnection[] = [];
  readonly terminals: TerminalSession[] = [];
  readonly metrics: Metrics;
  readonly admin: AdminService;
  readonly app: FastifyInstance;
  #index: CodeIndex;
  readonly #log: Logger;
  readonly #now: () => number;
  #pruneTimer: NodeJS.Timeout | undefined;
  #checkpointer: Checkpointer | undefined;
  #fileWatch: CacheFileWatch | undefined;
  /** Set when the cache file went away under the daemon: the open cache is saved at stop, to `savedTo`. */
  #lost: { change: CacheFileChange; savedTo: string } | undefined;
  readonly #onCacheLost: ((err: PtgwError) => void) | undefined;
  #stopped: Promise<void> | undefined;
  readonly #writer: DurableWriter | undefined;

  constructor(deps: GatewayDeps) {
    const { config, logger } = deps;
    this.config = config;
    this.#log = logger.child({ module: 'gateway' });
    this.#onCacheLost = deps.onCacheLost;
    this.#now = deps.now ?? Date.now;
    const calendar = new SiteCalendar(config.site.timeZone);
    const devices = deviceTargets(config.devices, profilesFor(config.source));
    if (devices.problems.length > 0) throw configInvalid(config.source, devices.problems);

    this.db = openCache(config.cache.path);
    try {
      this.models = new ModelStore(this.db);
      this.#index = this.models.index();
    } catch (cause) {
      this.db.close();
      throw isPtgwError(cause) ? cause : cacheError(config.cache.path, cause);
    }
    // Made only once the cache is known to load: a writer thread left behind by a failed start keeps the process from exiting.
    // A throw-away in-memory cache cannot be opened by a second connection: its writes stay in-thread.
    this.#writer = this.db.memory ? undefined : new DurableWriter(this.db, { logger });
    this.outbox = new OutboxStore(this.db, this.#writer);
    this.#log.info({ ...this.#index.stats, syncedAt: this.#index.syncedAt }, 'cache loaded');

    this.client = createClient(config, logger, this.#now);
    this.sync = createSyncEngine(config, {
      client: this.client,
      store: this.models,
      logger,
      onIndex: (index) => (this.#index = index),
      onRun: (run) => {
        this.metrics.syncSeconds.observe({ kind: run.full ? 'full' : 'incremental' }, run.durationMs / 1000);
        if (run.errorCode !== undefined) this.metrics.syncErrors.inc({ code: run.errorCode });
      },
    });
    this.sender = new ClockingSender({
      client: this.client,
      outbox: this.outbox,
      logger,
      now: this.#now,
      backoff: deps.senderBackoff ?? { baseMs: Math.min(1000, config.outbox.retryMaxSeconds * 1000), maxMs: config.outbox.retryMaxSeconds * 1000 },
    });

    const open = deps.openDevice ?? createOpenDevice();
    const byId = new Map<string, DeviceConnection>();
    for (const { device: d, profile, target } of devices.joined) {
      if (target.transport === 'serial' && /^\/dev\/tty(USB|ACM)\d+$/.test(target.path)) {
        // ttyUSB numbers follow plug order and change after a reboot or re-plug; by-id names do not.
        this.#log.warn({ device: d.id, path: target.path }, 'prefer the /dev/serial/by-id/... path for this device (see ptgw devices)');
      }
      const conn = new DeviceConnection({ id: d.id, profile, target, open, logger, now: this.#now });
      byId.set(d.id, conn);
      this.devices.push(conn);
    }

    this.metrics = new Metrics({
      cacheAgeSeconds: () => cacheAgeSeconds({ index: () => this.#index, now: this.#now }),
      clockOffsetMs: () => this.client.clockOffsetMs,
      outbox: () => this.outbox.stats(),
      devices: () => this.devices.map((d) => d.status),
      now: this.#now,
    });

    for (const t of config.terminals) {
      const bound = t.devices.map((id) => byId.get(id) as DeviceConnection);
      const ref: TerminalRef = t.upstream.id !== undefined ? { id: t.upstream.id } : { externalCode: t.upstream.externalCode as string };
      const session = new TerminalSession({
        spec: { terminalId: t.id, structureVersion: t.structureVersion, levels: t.levels, timeoutMs: t.timeoutSeconds * 1000, language: t.language, maxRejects: 3 },
        index: () => this.#index,
        calendar,
        validator: { noUsagePolicy: config.noUsagePolicy },
        record: (selection) => this.#record(selection, ref),
        displays: bound.filter((d) => d.hasDisplay),
        logger,
        now: this.#now,
        onDecision: (reason, seconds) => this.metrics.decided(reason, seconds),
      });
      for (const device of bound) device.on('input', (e: InputEvent) => void session.input(e));
      this.terminals.push(session);
    }

    this.admin = new AdminService({
      client: this.client,
      store: this.models,
      logger,
      onChange: () => (this.#index = this.models.index()),
      manualCodes: config.protime.dataEntryCodes === 'manual',
      levelsOf: (sv) => config.protime.structureVersions.find((s) => s.id === sv)?.levels ?? this.#index.structureVersion(sv)?.levels,
      syncInFlight: () => this.sync.inFlight,
    });

    this.app = buildApp(
      {
        version: VERSION,
        startedAt: this.#now(),
        now: this.#now,
        index: () => this.#index,
        ready: () => this.#index.populated,
        calendar,
        noUsagePolicy: config.noUsagePolicy,
        lookupDefaults: (sv) => lookupDefaults(config, sv),
        sync: { status: this.sync.status, run: (o) => this.sync.run(o) },
        clockOffsetMs: () => this.client.clockOffsetMs,
        devices: () => this.devices.map((d) => d.status),
        terminals: () => this.terminals.map((t) => t.status),
        outbox: this.outbox,
        onOutboxRetry: () => this.sender.notify(),
        adminToken: config.http.adminToken === undefined ? undefined : () => (config.http.adminToken as NonNullable<Config['http']['adminToken']>).reveal(),
        metrics: this.metrics,
        admin: this.admin,
      },
      { logger },
    );
  }

  get index(): CodeIndex {
    return this.#index;
  }

  /** The outbox commit (synchronous=FULL, off the event loop) completes here, before the terminal session writes "accepted". */
  async #record(selection: Selection, ref: TerminalRef): Promise<void> {
    const started = performance.now();
    const row = await this.outbox.add(selection, ref);
    this.metrics.outboxStoreSeconds.observe((performance.now() - started) / 1000);
    this.#log.info({ outboxId: row.id, terminal: selection.terminalId, person: selection.personId }, 'selection recorded');
    // Wake the sender only after the accept reply went out: its own commits must not delay the terminal.
    setImmediate(() => this.sender.notify());
  }

  async start(options: { listen?: boolean } = {}): Promise<string | undefined> {
    this.#checkpointer = new Checkpointer(this.db, { everyMs: CHECKPOINT_INTERVAL_MS, logger: this.#log, others: this.#writer === undefined ? [] : [this.#writer] });
    if (!this.db.memory) this.#fileWatch = new CacheFileWatch(this.config.cache.path, { everyMs: CHECKPOINT_INTERVAL_MS, onChange: (change) => void this.#cacheLost(change) });
    for (const d of this.devices) d.start();
    this.sync.start(this.config.sync.intervalSeconds * 1000);
    this.sender.start();
    const prune = (): void => {
      this.outbox.prune(this.#now() - this.config.outbox.retentionDays * 86_400_000).then(
        (removed) => removed > 0 && this.#log.info({ removed }, 'delivered outbox rows pruned'),
        (err: unknown) => this.#log.warn({ err: String(err) }, 'pruning delivered outbox rows failed; tried again in an hour'),
      );
    };
    prune();
    this.#pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS);
    this.#pruneTimer.unref();
    if (options.listen === false) return undefined;
    const { host, port } = this.config.http.listen;
    return this.app.listen({ host, port }).catch((err: unknown) => {
      throw listenFailed({ host, port }, err);
    });
  }

  /**
   * Clean shutdown, once however often it is called. Terminals first: each stops taking input and
   * finishes the event in hand (an accept waiting for the disk still gets its "accepted" on the
   * display); then the ports, the sync, the sender and the cache close.
   */
  stop(): Promise<void> {
    this.#stopped ??= this.#stop();
    return this.#stopped;
  }

  async #stop(): Promise<void> {
    if (this.#pruneTimer !== undefined) clearInterval(this.#pruneTimer);
    // The server's close waits for every open request: a client that never finishes sending one
    // would keep the terminals taking input and the daemon running until systemd kills it.
    const cut = setTimeout(() => this.app.server.closeAllConnections(), HTTP_CLOSE_GRACE_MS);
    await this.app.close();
    clearTimeout(cut);
    await Promise.all(this.terminals.map((t) => t.close()));
    await Promise.all(this.devices.map((d) => d.stop()));
    await this.sync.stop();
    await this.sender.stop();
    await this.client.close();
    await this.#writer?.stop();
    await this.#checkpointer?.stop();
    this.#fileWatch?.stop();
    const lost = this.#lost;
    if (lost === undefined) {
      this.db.close();
      return;
    }
    // Saved under a name of its own, renamed once the connections are closed and SQLite's stale files
    // at the path are gone: neither those nor a half-written copy ever pass for the cache.
    const saving = `${lost.savedTo}.saving`;
    let saved = false;
    try {
      saveOpenCache(this.db, saving);
      saved = true;
    } catch (err) {
      this.#log.error({ code: (err as PtgwError).code }, `${(err as Error).message} The clockings not yet delivered are lost with this process.`);
    }
    this.db.close();
    this.#fileWatch?.removeOwnCompanions();
    if (saved) {
      renameSync(saving, lost.savedTo);
      this.#log.info({ file: lost.savedTo }, 'the open cache is saved');
    }
  }

  /**
   * The cache file went away under the daemon: every accept from now on would be stored in a file
   * no path leads to. Stop taking input, save what the open connection holds (to the path when it
   * is free, beside the new file when another took its place) and let the daemon exit.
   */
  async #cacheLost(change: CacheFileChange): Promise<void> {
    const path = this.config.cache.path;
    const savedTo = change === 'removed' ? path : `${path}.saved-${new Date(this.#now()).toISOString().replace(/[:.]/g, '-')}`;
    this.#lost = { change, savedTo };
    const err = new PtgwError(
      'CACHE_FILE_LOST',
      change === 'removed'
        ? `The cache ${path} was removed while ptgw ran; ptgw saves what it holds back to that path and stops, to start again on it.`
        : `The cache ${path} was replaced by another file while ptgw ran; ptgw saves what it holds to ${savedTo} and stops. Copy that file's undelivered clockings into the new cache (README, "A damaged cache") or they are not delivered.`,
    );
    this.#log.error({ code: err.code, file: path, savedTo }, err.message);
    await this.stop();
    this.#onCacheLost?.(err);
  }
}
