import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { PathProblem } from './crossChecks.js';
import { Secret } from './secret.js';

/**
 * Where a secret comes from, first match wins:
 * 1. the file named in the config (relative to the config file) — the operator said so explicitly,
 *    so a missing, unreadable or empty file is an error, not a reason to look elsewhere;
 * 2. `$CREDENTIALS_DIRECTORY/<credential>` when that file exists (systemd LoadCredential=), which
 *    keeps the secret out of the config and out of the process environment;
 * 3. an environment variable (handy in containers and development; visible in /proc on shared hosts).
 * Messages name the key and the file, never any part of the content.
 */
export interface SecretSource {
  /** The config key naming the file, e.g. ['protime', 'clientSecretFile']. */
  readonly key: readonly [string, string];
  /** File name under $CREDENTIALS_DIRECTORY. */
  readonly credential: string;
  readonly envName: string;
  /** For the "none found" message; undefined when the secret is optional. */
  readonly missing: string | undefined;
}

export const CLIENT_SECRET: SecretSource = {
  key: ['protime', 'clientSecretFile'],
  credential: 'client-secret',
  envName: 'PTGW_CLIENT_SECRET',
  missing: 'no client secret: set protime.clientSecretFile, or provide $CREDENTIALS_DIRECTORY/client-secret (systemd LoadCredential=) or PTGW_CLIENT_SECRET',
};

/** Optional: without a token the admin endpoints are off. */
export const ADMIN_TOKEN: SecretSource = {
  key: ['http', 'adminTokenFile'],
  credential: 'admin-token',
  envName: 'PTGW_ADMIN_TOKEN',
  missing: undefined,
};

/** Needed only when protime.proxy names a user. */
export const PROXY_PASSWORD: SecretSource = {
  key: ['protime', 'proxyPasswordFile'],
  credential: 'proxy-password',
  envName: 'PTGW_PROXY_PASSWORD',
  missing: 'protime.proxy names a user but no password was found: set protime.proxyPasswordFile, or provide $CREDENTIALS_DIRECTORY/proxy-password (systemd LoadCredential=) or PTGW_PROXY_PASSWORD',
};

export interface SecretOutcome {
  readonly secret: Secret | undefined;
  readonly problem: PathProblem | undefined;
}

/**
 * `configured` is the key's value as written; anything but a non-empty string is left to the
 * schema (which reports it) and counts as "not configured" here.
 */
export function resolveSecret(source: SecretSource, configured: unknown, baseDir: string, env: NodeJS.ProcessEnv): SecretOutcome {
  if (typeof configured === 'string' && configured !== '') return fromFile(source, resolve(baseDir, configured), configured);
  const dir = env.CREDENTIALS_DIRECTORY;
  if (dir !== undefined && dir !== '') {
    const file = join(dir, source.credential);
    if (existsSync(file)) return fromFile(source, file, `$CREDENTIALS_DIRECTORY/${source.credential}`);
  }
  const fromEnv = env[source.envName];
  if (fromEnv !== undefined && trimNewlines(fromEnv) !== '') return { secret: new Secret(trimNewlines(fromEnv)), problem: undefined };
  return { secret: undefined, problem: source.missing === undefined ? undefined : { path: source.key, message: source.missing } };
}

/** A value written as a path: absolute or ./ ../ ~/, or a file name with an extension, of path characters only. */
const PATH_LIKE = /^(?:(?:\/|\.\.?\/|~\/)[\w./-]*|[\w.-]*\.[A-Za-z]{1,10})$/;

function fromFile(source: SecretSource, file: string, written: string): SecretOutcome {
  // Someone may paste the secret itself where its file belongs: a value that names no file and does not
  // look like a path is never repeated, only the folder it was looked for in.
  const named = existsSync(file) || PATH_LIKE.test(written) ? (written === file ? file : `${written} (${file})`) : `the file it names (looked for in ${dirname(file)})`;
  const fail = (why: string): SecretOutcome => ({ secret: undefined, problem: { path: source.key, message: `${named} ${why}` } });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail('does not exist');
    if (code === 'EISDIR') return fail('is a folder, not a file');
    return fail(`cannot be read (${code ?? 'unknown error'})`);
  }
  // Editors and `echo` add a final newline that is not part of the secret.
  const value = trimNewlines(text);
  if (value === '') return fail('is empty');
  return { secret: new Secret(value), problem: undefined };
}

function trimNewlines(text: string): string {
  return text.replace(/[\r\n]+$/, '');
}
