import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { REASONS, type Reason } from '../core/reasons.js';

export interface MetricsSources {
  cacheAgeSeconds: () => number | undefined;
  /** This box's clock minus Protime's (ms); undefined before Protime answered. */
  clockOffsetMs?: () => number | undefined;
  outbox: () => { pending: number; oldestPendingAt: number | undefined; failed: number };
  devices: () => readonly { id: string; connected: boolean; errors: number }[];
  now: () => number;
}

/** Prometheus metrics on a registry of their own (no globals: tests and demo build several apps). */
export class Metrics {
  readonly registry = new Registry();
  readonly decisions: Counter<'reason'>;
  readonly decisionSeconds: Histogram;
  readonly outboxStoreSeconds: Histogram;
  readonly syncSeconds: Histogram<'kind'>;
  readonly syncErrors: Counter<'code'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.decisions = new Counter({ name: 'ptgw_decisions_total', help: 'Terminal decisions by reason.', labelNames: ['reason'], registers });
    for (const reason of REASONS) this.decisions.inc({ reason }, 0);
    this.decisionSeconds = new Histogram({
      name: 'ptgw_decision_duration_seconds',
      help: 'Time to decide one dialog step, from the input event to the decision.',
      buckets: [0.000_001, 0.000_005, 0.000_01, 0.000_05, 0.000_1, 0.000_5, 0.001, 0.005, 0.01],
      registers,
    });
    // What an accept waits for after the decision: the disk flush of its outbox row. Slow here means a slow or failing disk.
    this.outboxStoreSeconds = new Histogram({
      name: 'ptgw_outbox_store_duration_seconds',
      help: 'Time to store an accepted selection durably; the accept reply waits for it.',
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.025, 0.1, 0.5, 2],
      registers,
    });
    this.syncSeconds = new Histogram({ name: 'ptgw_sync_duration_seconds', help: 'Duration of syncs.', labelNames: ['kind'], buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120], registers });
    this.syncErrors = new Counter({ name: 'ptgw_sync_errors_total', help: 'Failed syncs by error code.', labelNames: ['code'], registers });
    new Gauge({
      name: 'ptgw_cache_age_seconds',
      help: 'Seconds since the cache was last synced (absent before the first sync).',
      registers,
      collect() {
        const age = sources.cacheAgeSeconds();
        if (age !== undefined) this.set(age);
      },
    });
    new Gauge({
      name: 'ptgw_clock_offset_seconds',
      help: "This box's clock minus Protime's, from the Date of Protime's last answer (absent before one); clockings carry this box's time.",
      registers,
      collect() {
        const offset = sources.clockOffsetMs?.();
        if (offset !== undefined) this.set(Math.round(offset / 1000));
      },
    });
    new Gauge({ name: 'ptgw_outbox_pending', help: 'Accepted selections not yet delivered.', registers, collect() { this.set(sources.outbox().pending); } });
    new Gauge({ name: 'ptgw_outbox_failed', help: 'Selections Protime refused; they need an operator.', registers, collect() { this.set(sources.outbox().failed); } });
    new Gauge({
      name: 'ptgw_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest undelivered selection (0 when none).',
      registers,
      collect() {
        const oldest = sources.outbox().oldestPendingAt;
        this.set(oldest === undefined ? 0 : Math.max(0, (sources.now() - oldest) / 1000));
      },
    });
    new Gauge({
      name: 'ptgw_device_connected',
      help: '1 when the device is open.',
      labelNames: ['device'],
      registers,
      collect() {
        this.reset();
        for (const d of sources.devices()) this.set({ device: d.id }, d.connected ? 1 : 0);
      },
    });
    // A count that only grows is a counter (with _total), so that rate() and increase() read it right.
    new Counter({
      name: 'ptgw_device_errors_total',
      help: 'Frames dropped and failures per device since start.',
      labelNames: ['device'],
      registers,
      collect() {
        this.reset();
        for (const d of sources.devices()) this.inc({ device: d.id }, d.errors);
      },
    });
  }

  decided(reason: Reason, seconds: number): void {
    this.decisions.inc({ reason });
    this.decisionSeconds.observe(seconds);
  }
}
