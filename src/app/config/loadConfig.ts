import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { PtgwError } from '../../core/errors.js';
import { configSchema } from './configSchema.js';
import type { Config, ConfigProblem, LoadOptions, LocalConfig } from './configTypes.js';
import { crossCheck, type PathProblem } from './crossChecks.js';
import { deepFreeze } from './deepFreeze.js';
import { findConfigFile } from './findConfigFile.js';
import { configErrorMap, type KnownKeys } from './issueMessages.js';
import { fromIssues, keyOf, locateProblem, sortProblems, summarise } from './problems.js';
import { proxyUser, resolveConfig, resolveLocalConfig } from './resolveConfig.js';
import { ADMIN_TOKEN, CLIENT_SECRET, PROXY_PASSWORD, resolveSecret } from './secrets.js';
import { YamlLocator } from './yamlLocator.js';

/**
 * The gateway's configuration: one YAML file, validated in full before anything starts.
 *
 * This is the only module that reads process.env, and it reads it for secrets only
 * (CREDENTIALS_DIRECTORY, PTGW_CLIENT_SECRET, PTGW_ADMIN_TOKEN, PTGW_PROXY_PASSWORD). Other environment overrides are
 * deliberately not supported: one file says how a gateway is set up, `ptgw check-config` can
 * check all of it, and two gateways on one box cannot pick up each other's variables.
 */

export type { Config, ConfigProblem, DeviceConfig, LocalConfig, DeviceMatch, LoadOptions, LogLevel, ProxyConfig, StructureVersionConfig, TerminalConfig, TerminalUpstream } from './configTypes.js';
export { DEFAULT_CONFIG_PATHS } from './findConfigFile.js';
export { formatProblem } from './problems.js';
export { Secret } from './secret.js';

/** A CONFIG_INVALID or SECRET_MISSING error carries every problem found, for callers that list them. */
export type ConfigError = PtgwError & { problems: readonly ConfigProblem[] };

interface Analysis {
  source: string;
  /** Everything wrong with the file itself. */
  problems: ConfigProblem[];
  /** Secrets that could not be found or read (SECRET_MISSING rather than CONFIG_INVALID). */
  secretProblems: ConfigProblem[];
  /** Only when there is no problem of either kind. */
  config: Config | undefined;
  /** Only when the file itself has no problem, whatever the secrets. */
  local?: LocalConfig | undefined;
}

/**
 * Reads, validates and resolves the config into a deep-frozen object. Throws CONFIG_NOT_FOUND
 * when there is no file, CONFIG_INVALID listing the first problems (all of them on `problems`),
 * or SECRET_MISSING when the file is fine but a secret is not.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const a = analyse(options);
  if (a.config !== undefined) return a.config;
  const name = basename(a.source);
  const all = sortProblems([...a.problems, ...a.secretProblems]);
  if (a.problems.length > 0) throw invalid(a.source, all);
  // analyse() only leaves `config` undefined with a problem of some kind; this guards a future gap.
  if (a.secretProblems.length === 0) throw configError('CONFIG_INVALID', `The config ${a.source} could not be loaded.`, all);
  throw configError('SECRET_MISSING', `A secret is missing: ${summarise(name, a.secretProblems)}`, all, a.secretProblems[0]?.key);
}

/**
 * As loadConfig, for the commands that only read the cache: the file must be valid, but no secret
 * is looked for, so that they work at a box where only the service gets the secrets (LoadCredential=).
 */
export function loadLocalConfig(options: LoadOptions = {}): LocalConfig {
  const a = analyse(options);
  if (a.local !== undefined) return a.local;
  throw invalid(a.source, sortProblems(a.problems));
}

/**
 * Every problem of the config file with its line, in file order, for `ptgw check-config`; [] when
 * loadConfig would succeed. Throws CONFIG_NOT_FOUND only: there is no file to check.
 */
export function checkConfig(options: LoadOptions = {}): ConfigProblem[] {
  const a = analyse(options);
  return sortProblems([...a.problems, ...a.secretProblems]);
}

/**
 * Problems found against a loaded config by what it names (device profiles), at their keys in its
 * file, with their lines as the loader's own: for `ptgw check-config`, in file order.
 */
export function locateConfigProblems(source: string, problems: readonly PathProblem[]): ConfigProblem[] {
  let locator: YamlLocator | undefined;
  try {
    locator = new YamlLocator(readFileSync(source, 'utf8'));
  } catch {
    // The file was read a moment ago; should it be gone now, the problems still name their keys.
  }
  return sortProblems(problems.map((p) => (locator === undefined ? { key: keyOf(p.path), message: p.message } : locateProblem(locator, p))));
}

/** The CONFIG_INVALID error of such problems, worded as loadConfig's, for `ptgw run`. */
export function configInvalid(source: string, problems: readonly PathProblem[]): ConfigError {
  return invalid(source, locateConfigProblems(source, problems));
}

function invalid(source: string, all: readonly ConfigProblem[]): ConfigError {
  const count = all.length === 1 ? 'a problem' : `${all.length} problems`;
  return configError('CONFIG_INVALID', `The config ${source} has ${count}: ${summarise(basename(source), all)}`, all);
}

function configError(code: 'CONFIG_INVALID' | 'SECRET_MISSING', message: string, problems: readonly ConfigProblem[], field?: string): ConfigError {
  return Object.assign(new PtgwError(code, message, { field: field ?? problems[0]?.key }), { problems });
}

function analyse(options: LoadOptions): Analysis {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const source = findConfigFile(options.path, cwd, options.searchPaths);
  const nothing = { source, secretProblems: [], config: undefined };

  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (err) {
    return { ...nothing, problems: [{ key: '', message: `cannot read ${source} (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})` }] };
  }

  // Syntax first: when the parser had to guess, the structure (and every line number) is suspect.
  const locator = new YamlLocator(text);
  const syntax = locator.syntaxProblems();
  if (syntax.length > 0) return { ...nothing, problems: syntax };

  const data = locator.toJS();
  const known: KnownKeys = new Map();
  const parsed = configSchema.safeParse(data, { error: configErrorMap(known, keyOf) });
  const problems = parsed.success ? [] : fromIssues(locator, parsed.error.issues, known);
  problems.push(...crossCheck(data).map((p) => locateProblem(locator, p)));
  if (!isMapping(data)) return { ...nothing, problems };

  // Secrets are looked for even when the rest is broken, so check-config reports them in the same run.
  const baseDir = dirname(source);
  // Without a protime section its absence is the problem; "no client secret" on top would be noise.
  const client = isMapping(data.protime) ? resolveSecret(CLIENT_SECRET, data.protime.clientSecretFile, baseDir, env) : undefined;
  const admin = resolveSecret(ADMIN_TOKEN, isMapping(data.http) ? data.http.adminTokenFile : undefined, baseDir, env);
  // A proxy password is looked for only when the proxy names a user: without one it is never sent.
  const proxy = isMapping(data.protime) && proxyUser(data.protime.proxy) !== undefined ? resolveSecret(PROXY_PASSWORD, data.protime.proxyPasswordFile, baseDir, env) : undefined;
  const secretProblems = [client?.problem, admin.problem, proxy?.problem].flatMap((p) => (p === undefined ? [] : [locateProblem(locator, p)]));

  if (!parsed.success || problems.length > 0) return { source, problems, secretProblems, config: undefined };
  const local = deepFreeze(resolveLocalConfig(parsed.data, { source, baseDir }));
  if (secretProblems.length > 0 || client?.secret === undefined) return { source, problems, secretProblems, config: undefined, local };
  const config = resolveConfig(parsed.data, { source, baseDir, clientSecret: client.secret, adminToken: admin.secret, proxyPassword: proxy?.secret });
  return { source, problems, secretProblems, config: deepFreeze(config), local };
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
