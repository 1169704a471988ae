import { existsSync } from 'node:fs';
import { ModelStore } from '../../cache/ModelStore.js';
import { openCache } from '../../cache/openCache.js';
import { SiteCalendar } from '../../core/clock.js';
import { CodeIndex } from '../../core/codeIndex.js';
import { parseDay } from '../../core/day.js';
import { PtgwError } from '../../core/errors.js';
import { lookupDialog, lookupLevels, type LookupResult } from '../../core/lookup.js';
import { EMPTY_SNAPSHOT, type Snapshot } from '../../core/model.js';
import type { CliIo } from '../cliIo.js';
import type { LocalConfig } from '../config/loadConfig.js';
import { loadLocalConfig } from '../config/loadConfig.js';
import { lookupDefaults } from '../lookupDefaults.js';

export interface LookupOptions {
  config?: string;
  structureVersion?: string;
  levels?: string;
  badge: string;
  date?: string;
  json?: boolean;
}

/** Resolves which structure version and levels a lookup walks, like the terminal that would be used. */
export function lookupScope(config: LocalConfig, sv: string | undefined, levels: string | undefined, codeCount: number): { structureVersion: string; levels: number[]; language: string | undefined } {
  const defaults = lookupDefaults(config, sv);
  const structureVersion = defaults.structureVersion;
  if (structureVersion === undefined) throw new PtgwError('USAGE', 'No structure version: pass --structure-version.');
  const walked = lookupLevels(levels, defaults.levels, codeCount);
  if (walked === undefined) throw new PtgwError('USAGE', `--levels must be increasing level numbers separated by commas, like 1,2,3 (got "${levels}").`);
  return { structureVersion, levels: walked, language: defaults.language };
}

export function lookupDate(config: LocalConfig, date: string | undefined, now: number): number {
  if (date === undefined) return new SiteCalendar(config.site.timeZone).localTime(now).day;
  const day = parseDay(date);
  if (day === undefined || date.length !== 10) throw new PtgwError('USAGE', `--date must be a calendar date like 2025-03-04 (got "${date}").`);
  return day;
}

/** The cache's model; before the first sync there is no cache file, and the answer is CACHE_EMPTY, as the daemon's. */
function cachedModel(path: string): Snapshot {
  if (path !== ':memory:' && !existsSync(path)) return EMPTY_SNAPSHOT;
  const db = openCache(path, { readonly: true });
  try {
    return new ModelStore(db).loadSnapshot();
  } finally {
    db.close();
  }
}

/** `ptgw lookup`: a whole dialog decided from the cache alone; never touches the network. */
export function lookupCommand(codes: string[], options: LookupOptions, io: CliIo): number {
  const config = loadLocalConfig({ path: options.config });
  const scope = lookupScope(config, options.structureVersion, options.levels, codes.length);
  const date = lookupDate(config, options.date, Date.now());
  const index = CodeIndex.build(cachedModel(config.cache.path));
  const result: LookupResult = lookupDialog(index, { ...scope, badge: options.badge, date, codes }, { noUsagePolicy: config.noUsagePolicy });
  if (options.json === true) {
    io.out(`${JSON.stringify({ decision: result.decision, steps: result.steps.map(({ explanation: _e, ...s }) => s) })}\n`);
  } else {
    io.out(`${formatLookup(result, options.badge)}\n`);
  }
  return 0;
}

export function formatLookup(result: LookupResult, badge: string): string {
  const lines = [`${result.decision === 'ACCEPTED' ? 'ACCEPTED' : `REJECTED (${result.decision})`} for badge ${badge}`];
  if (result.explanation !== undefined) lines.push(`  ${result.explanation}`);
  for (const s of result.steps) lines.push(`  level ${s.level}  ${s.code.padEnd(16)} ${s.decision.padEnd(14)} ${s.explanation}`);
  return lines.join('\n');
}
