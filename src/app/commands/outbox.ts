import { OutboxStore, type OutboxState } from '../../cache/OutboxStore.js';
import { openCache } from '../../cache/openCache.js';
import { SiteCalendar } from '../../core/clock.js';
import { formatTimeOfDay } from '../../core/day.js';
import { PtgwError } from '../../core/errors.js';
import type { CliIo } from '../cliIo.js';
import { loadLocalConfig } from '../config/loadConfig.js';

const STATES: readonly OutboxState[] = ['pending', 'sending', 'delivered', 'failed'];

/** `ptgw outbox list [--state S] [--json]`: what waits for Protime, what was refused and why. */
export function outboxListCommand(options: { config?: string; state?: string; json?: boolean; limit?: string }, io: CliIo): number {
  if (options.state !== undefined && !STATES.includes(options.state as OutboxState)) {
    throw new PtgwError('USAGE', `--state must be one of ${STATES.join(', ')} (got "${options.state}").`);
  }
  const limit = options.limit === undefined ? 100 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new PtgwError('USAGE', `--limit must be a positive integer (got "${options.limit}").`);
  const config = loadLocalConfig({ path: options.config });
  const db = openCache(config.cache.path);
  try {
    const outbox = new OutboxStore(db);
    const rows = outbox.list(options.state as OutboxState | undefined, limit);
    // Every time the operator sees is the site's; the offset keeps the fall-back night's two 02:30s apart.
    const calendar = new SiteCalendar(config.site.timeZone);
    if (options.json === true) {
      const local = (at: number): string => {
        const s = calendar.stamp(at);
        return `${s.date}T${s.time}${s.offset}`;
      };
      // createdAt stays epoch milliseconds for the scripts that read it; createdAtLocal is beside it.
      io.out(`${JSON.stringify({ stats: outbox.stats(), rows: rows.map((r) => ({ ...r, createdAtLocal: local(r.createdAt) })) })}\n`);
      return 0;
    }
    const s = outbox.stats();
    io.out(`${s.pending} pending, ${s.delivered} delivered, ${s.failed} failed\n`);
    for (const r of rows) {
      const codes = r.levels.map((l) => l.code).join(' > ');
      const created = calendar.stamp(r.createdAt);
      // The date and time of the clocking as Protime gets them, a time past midnight made readable.
      io.out(`${r.id}  ${r.state.padEnd(9)} ${created.date} ${created.time} ${created.offset}  terminal ${r.terminalId}  person ${r.personId}  ${r.date} ${formatTimeOfDay(r.timeOfDayInMinutes)}  ${codes}${r.lastError === null ? '' : `\n    ${r.lastError}`}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}

/** `ptgw outbox retry ID|--failed`: puts refused rows back in the queue (after fixing the cause upstream). */
export async function outboxRetryCommand(id: string | undefined, options: { config?: string; failed?: boolean }, io: CliIo): Promise<number> {
  if ((id === undefined) === (options.failed !== true)) throw new PtgwError('USAGE', 'Give one outbox row ID, or --failed for every failed row.');
  const config = loadLocalConfig({ path: options.config });
  const db = openCache(config.cache.path);
  try {
    const outbox = new OutboxStore(db);
    if (id !== undefined) {
      const row = outbox.get(id);
      if (row === undefined) throw new PtgwError('USAGE', `No outbox row ${id}.`);
      if (row.state !== 'failed') throw new PtgwError('USAGE', `Outbox row ${id} is ${row.state}, not failed; nothing to retry.`);
    }
    const n = await outbox.retry(id);
    io.out(`${n} row(s) back in the queue; a running gateway sends them within seconds.\n`);
    return 0;
  } finally {
    db.close();
  }
}
