import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PtgwError } from '../core/errors.js';
import { profileSchema, type DeviceProfile } from './profileSchema.js';

/** The profiles shipped with ptgw, next to src/ and dist/. */
export const BUILTIN_PROFILE_DIR = fileURLToPath(new URL('../../device-profiles/', import.meta.url));

export function parseProfile(json: unknown, file: string): DeviceProfile {
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? '(top level)' : issue.path.join('.');
    throw new PtgwError('PROFILE_INVALID', `Device profile ${file}: ${field}: ${issue?.message ?? 'invalid'}.`, { field, cause: parsed.error });
  }
  if (parsed.data.id !== basename(file, '.json')) {
    throw new PtgwError('PROFILE_INVALID', `Device profile ${file}: id: "${parsed.data.id}" must match the file name.`, { field: 'id' });
  }
  return parsed.data;
}

export function loadProfileFile(file: string): DeviceProfile {
  let json: unknown;
  try {
    // A byte order mark (Notepad's UTF-8) is no JSON error: it made the file unreadable with an invisible character named.
    json = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new PtgwError('PROFILE_INVALID', `Device profile ${file} cannot be read as JSON: ${(cause as Error).message}.`, { cause });
  }
  return parseProfile(json, file);
}

/** Every *.json in the folders, later folders overriding earlier ones by id (local profiles over shipped ones). */
export function loadProfiles(dirs: readonly string[] = [BUILTIN_PROFILE_DIR]): Map<string, DeviceProfile> {
  const profiles = new Map<string, DeviceProfile>();
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const profile = loadProfileFile(join(dir, name));
      profiles.set(profile.id, profile);
    }
  }
  return profiles;
}
