import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PtgwError } from '../../core/errors.js';

/** Where `ptgw` looks without --config: the system-wide file, then one next to where it was started. */
export const DEFAULT_CONFIG_PATHS: readonly string[] = ['/etc/ptgw/config.yaml', './ptgw.yaml'];

/**
 * The absolute path of the config file to read. A file that exists but cannot be read is still
 * chosen (and reported as such) rather than skipped: silently falling back to another file would
 * run the gateway with a configuration nobody meant.
 */
export function findConfigFile(path: string | undefined, cwd: string, searchPaths: readonly string[] = DEFAULT_CONFIG_PATHS): string {
  if (path !== undefined) {
    const file = resolve(cwd, path);
    if (!existsSync(file)) throw new PtgwError('CONFIG_NOT_FOUND', `The config file ${file} does not exist.`, { field: 'config' });
    return file;
  }
  const tried = searchPaths.map((p) => resolve(cwd, p));
  const found = tried.find((file) => existsSync(file));
  if (found !== undefined) return found;
  throw new PtgwError('CONFIG_NOT_FOUND', `No config file: tried ${tried.join(' and ')}; give one with --config FILE.`, { field: 'config' });
}
