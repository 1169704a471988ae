import { ModelStore } from '../../cache/ModelStore.js';
import { openCache } from '../../cache/openCache.js';
import type { CliIo } from '../cliIo.js';
import { loadConfig, type Config } from '../config/loadConfig.js';
import { createLogger } from '../logger.js';
import type { SyncReport } from '../../protime/SyncEngine.js';
import { createClient, createSyncEngine } from '../upstream.js';

/** `ptgw sync [--full]`: one sync into the cache, then exit; throws (non-zero exit) on failure. */
export async function syncCommand(options: { config?: string; full?: boolean; verbose?: boolean }, io: CliIo): Promise<number> {
  const config = loadConfig({ path: options.config });
  // The outcome is one line on stdout or one sentence on stderr; logs (to stderr) only with --verbose.
  const logger = createLogger({ level: options.verbose === true ? 'debug' : 'silent', destination: process.stderr });
  const db = openCache(config.cache.path);
  const client = createClient(config, logger);
  try {
    const engine = createSyncEngine(config, { client, store: new ModelStore(db), logger, onIndex: () => undefined });
    let r: SyncReport;
    try {
      r = await engine.run({ full: options.full === true });
    } catch (err) {
      // One structure version refused, the others applied: the error names the one left out, and
      // the person running this must not think that nothing was synced.
      const applied = engine.status.lastReport;
      if (applied !== undefined) io.out(`Partly synced ${summary(config, applied)}\n`);
      throw err;
    }
    io.out(`Synced ${summary(config, r)}\n`);
    return 0;
  } finally {
    await client.close();
    db.close();
  }
}

function summary(config: Config, r: SyncReport): string {
  return (
    `${config.protime.tenant} into ${config.cache.path} in ${(r.durationMs / 1000).toFixed(1)} s (${r.full ? 'full' : 'incremental'}): ` +
    `${r.definitionsWritten} definitions written, ${r.definitionsDeleted} deleted, ${r.definitionsIgnoredAsOlder} older versions ignored` +
    `${r.peopleRefreshed ? `, ${r.peopleWritten} people refreshed` : ''}.`
  );
}
