import type { LookupDefaults } from '../http/HttpDeps.js';
import type { Config } from './config/loadConfig.js';

/**
 * What a lookup walks when its caller names less (`ptgw lookup`, `GET /api/lookup`): the given
 * structure version, or the first terminal's, or the first configured; and the levels and language
 * of the first terminal on that structure version, as that terminal would decide it.
 */
export function lookupDefaults(config: Config, structureVersion: string | undefined): LookupDefaults {
  const sv = structureVersion ?? config.terminals[0]?.structureVersion ?? config.protime.structureVersions[0]?.id;
  const terminal = config.terminals.find((t) => t.structureVersion === sv);
  return { structureVersion: sv, levels: terminal?.levels, language: terminal?.language };
}
