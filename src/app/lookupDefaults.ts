import { PtgwError } from '../core/errors.js';
import type { LookupDefaults } from '../http/HttpDeps.js';
import type { LocalConfig } from './config/loadConfig.js';

/**
 * What a lookup walks when its caller names less (`ptgw lookup`, `GET /api/lookup`): the given
 * structure version, or the first terminal's, or the first configured; and the levels and language
 * of the first terminal on that structure version, as that terminal would decide it.
 * A structure version that is not configured is refused (INVALID_ARGUMENT): nothing of it is ever
 * synced, so every code would come back UNKNOWN_CODE, blaming the codes for a mistyped id.
 */
export function lookupDefaults(config: LocalConfig, structureVersion: string | undefined): LookupDefaults {
  const configured = config.protime.structureVersions.map((s) => s.id);
  if (structureVersion !== undefined && !configured.includes(structureVersion)) {
    throw new PtgwError('INVALID_ARGUMENT', `The structure version "${structureVersion}" is not configured here (protime.structureVersions: ${configured.join(', ')}).`, { field: 'structureVersion' });
  }
  const sv = structureVersion ?? config.terminals[0]?.structureVersion ?? configured[0];
  const terminal = config.terminals.find((t) => t.structureVersion === sv);
  return { structureVersion: sv, levels: terminal?.levels, language: terminal?.language };
}
