import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { SiteCalendar } from '../../core/clock.js';
import { PtgwError } from '../../core/errors.js';
import { configSchema, type RawConfig } from './configSchema.js';
import { Secret } from './secret.js';
import { YamlLocator } from './yamlLocator.js';

export interface DeviceConfig {
  readonly id: string;
  readonly profile: string;
  readonly path: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly match: { readonly vendorId?: number | undefined; readonly productId?: number | undefined; readonly serialNumber?: string | undefined; readonly path?: string | undefined } | undefined;
}

export interface TerminalConfig {
  readonly id: string;
  readonly devices: readonly string[];
  readonly structureVersion: string;
  readonly levels: readonly number[];
  readonly timeoutSeconds: number;
  readonly language: string | undefined;
  readonly upstream: { readonly externalCode?: string | undefined; readonly id?: number | undefined };
}

export interface Config {
  readonly source: string;
  readonly site: { readonly timeZone: string };
  readonly protime: {
    readonly tenant: string;
    readonly environment: 'production' | 'sandbox';
    readonly baseUrl: string;
    readonly authUrl: string;
    readonly clientId: string;
    readonly clientSecret: Secret;
    readonly structureVersions: readonly { readonly id: string; readonly levels: number | undefined }[];
    readonly useDelta: boolean;
  };
  readonly sync: { readonly intervalSeconds: number; readonly fullIntervalSeconds: number };
  readonly cache: { readonly path: string };
  readonly http: { readonly listen: { readonly host: string; readonly port: number }; readonly adminToken: Secret | undefined };
  readonly devices: readonly DeviceConfig[];
  readonly terminals: readonly TerminalConfig[];
  readonly noUsagePolicy: 'deny' | 'allow';
  readonly outbox: { readonly retentionDays: number };
  readonly log: { readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' };
}

export interface ConfigProblem {
  line?: number;
  column?: number;
  key: string;
  message: string;
}

export interface LoadOptions {
  path?: string | undefined;
  /** The environment for secrets (PTGW_CLIENT_SECRET, PTGW_ADMIN_TOKEN, CREDENTIALS_DIRECTORY). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export const DEFAULT_CONFIG_PATHS = ['/etc/ptgw/config.yaml', './ptgw.yaml'];

function findConfig(options: LoadOptions): string {
  const cwd = options.cwd ?? process.cwd();
  if (options.path !== undefined) {
    const p = resolve(cwd, options.path);
    if (!existsSync(p)) throw new PtgwError('CONFIG_NOT_FOUND', `The config file ${p} does not exist.`);
    return p;
  }
  for (const candidate of DEFAULT_CONFIG_PATHS) {
    const p = resolve(cwd, candidate);
    if (existsSync(p)) return p;
  }
  throw new PtgwError('CONFIG_NOT_FOUND', `No config file: looked for ${DEFAULT_CONFIG_PATHS.map((p) => resolve(cwd, p)).join(' and ')}; pass --config FILE.`);
}

function keyOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc === '' ? String(k) : `${acc}.${String(k)}`), '');
}

function parseListen(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (m === null) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: (m[1] ?? m[2]) as string, port };
}

interface Checked {
  source: string;
  raw: RawConfig | undefined;
  problems: ConfigProblem[];
  locator: YamlLocator | undefined;
}

/** Parses and validates the whole file, collecting every problem with its line. */
function check(options: LoadOptions): Checked {
  const source = findConfig(options);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (cause) {
    throw new PtgwError('CONFIG_INVALID', `Cannot read the config file ${source}: ${(cause as Error).message}.`, { cause });
  }
  const locator = new YamlLocator(text);
  const problems: ConfigProblem[] = [];
  for (const e of locator.doc.errors) {
    const at = locator.at(e.pos[0]);
    problems.push({ ...at, key: '(yaml)', message: e.message.split('\n')[0] as string });
  }
  if (problems.length > 0) return { source, raw: undefined, problems, locator };
  const parsed = configSchema.safeParse(locator.doc.toJS() ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const path of keys) {
        const message = issue.code === 'unrecognized_keys' ? 'unknown key (check the spelling; see systemd/config.example.yaml)' : issue.message;
        problems.push({ ...locator.locate(path), key: keyOf(path) || '(top level)', message });
      }
    }
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { source, raw: undefined, problems, locator };
  }
  const raw = parsed.data;
  const add = (path: PropertyKey[], message: string): void => void problems.push({ ...locator.locate(path), key: keyOf(path), message });
  try {
    new SiteCalendar(raw.site.timeZone);
  } catch {
    add(['site', 'timeZone'], `"${raw.site.timeZone}" is not a known IANA time zone (e.g. Europe/Brussels)`);
  }
  if (parseListen(raw.http.listen) === undefined) add(['http', 'listen'], `"${raw.http.listen}" is not host:port (e.g. 127.0.0.1:8080 or [::1]:8080)`);
  const svs = new Map(raw.protime.structureVersions.map((sv) => (typeof sv === 'string' ? [sv, undefined] : [sv.id, sv.levels])));
  const deviceIds = new Set<string>();
  raw.devices.forEach((d, i) => {
    if (deviceIds.has(d.id)) add(['devices', i, 'id'], `device id "${d.id}" is used twice`);
    deviceIds.add(d.id);
    const ways = [d.path !== undefined, d.host !== undefined || d.port !== undefined, d.match !== undefined].filter(Boolean).length;
    if (ways !== 1) add(['devices', i], 'give exactly one of: path (serial), host and port (TCP), or match (HID)');
    if ((d.host === undefined) !== (d.port === undefined)) add(['devices', i], 'a TCP device needs both host and port');
  });
  const bound = new Map<string, string>();
  raw.terminals.forEach((t, i) => {
    t.devices.forEach((id, j) => {
      if (!deviceIds.has(id)) add(['terminals', i, 'devices', j], `no device "${id}" is configured`);
      const other = bound.get(id);
      if (other !== undefined && other !== t.id) add(['terminals', i, 'devices', j], `device "${id}" is already bound to terminal ${other}`);
      bound.set(id, t.id);
    });
    if (!svs.has(t.structureVersion)) add(['terminals', i, 'structureVersion'], `"${t.structureVersion}" is not one of protime.structureVersions`);
    const max = svs.get(t.structureVersion);
    if (t.levels.some((l, k) => k > 0 && l <= (t.levels[k - 1] as number))) add(['terminals', i, 'levels'], 'levels must be strictly increasing, like [1, 2, 3]');
    if (max !== undefined && t.levels.some((l) => l > max)) add(['terminals', i, 'levels'], `the structure version has ${max} levels`);
    if (t.upstream.externalCode === undefined && t.upstream.id === undefined) add(['terminals', i, 'upstream'], 'give externalCode or id: how Protime knows this terminal');
  });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { source, raw, problems, locator };
}

function readSecret(file: string, key: string, locator: YamlLocator | undefined, keyPath: PropertyKey[]): Secret {
  let value: string;
  const where = locator?.locate(keyPath).line;
  const at = where === undefined ? '' : ` (line ${where})`;
  try {
    value = readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
  } catch (cause) {
    throw new PtgwError('SECRET_MISSING', `${key}${at}: cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? 'unreadable'}.`, { field: key });
  }
  if (value === '') throw new PtgwError('SECRET_MISSING', `${key}${at}: ${file} is empty.`, { field: key });
  return new Secret(value);
}

/**
 * The secret from the configured file, else systemd's credential, else the environment. Other
 * environment overrides are deliberately not supported: one file says how a gateway is set up.
 */
function resolveSecret(configured: string | undefined, credential: string, envName: string, key: string, base: string, env: NodeJS.ProcessEnv, locator: YamlLocator | undefined, keyPath: PropertyKey[]): Secret | undefined {
  if (configured !== undefined) return readSecret(isAbsolute(configured) ? configured : resolve(base, configured), key, locator, keyPath);
  const dir = env.CREDENTIALS_DIRECTORY;
  if (dir !== undefined && dir !== '' && existsSync(resolve(dir, credential))) return readSecret(resolve(dir, credential), key, locator, keyPath);
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return new Secret(fromEnv);
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !(value instanceof Secret) && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Every problem of a config file with its line, for `ptgw check-config`; [] when it is fine. */
export function checkConfig(options: LoadOptions = {}): ConfigProblem[] {
  const checked = check(options);
  if (checked.problems.length > 0) return checked.problems;
  try {
    resolveConfig(checked, options);
    return [];
  } catch (err) {
    if (err instanceof PtgwError) return [{ key: err.field ?? '(config)', message: err.message }];
    throw err;
  }
}

/** Reads, validates and resolves the config once, into a frozen object; throws CONFIG_INVALID listing the problems. */
export function loadConfig(options: LoadOptions = {}): Config {
  const checked = check(options);
  if (checked.problems.length > 0) {
    const name = basename(checked.source);
    const lines = checked.problems.map((p) => `${name}${p.line === undefined ? '' : ` line ${p.line}`}: ${p.key}: ${p.message}`);
    const shown = lines.slice(0, 5).join('; ') + (lines.length > 5 ? `; and ${lines.length - 5} more (ptgw check-config lists them all)` : '');
    throw Object.assign(new PtgwError('CONFIG_INVALID', `The config ${checked.source} has ${lines.length === 1 ? 'a problem' : `${lines.length} problems`}: ${shown}.`), { problems: checked.problems });
  }
  return resolveConfig(checked, options);
}

function resolveConfig(checked: Checked, options: LoadOptions): Config {
  const raw = checked.raw as RawConfig;
  const base = dirname(checked.source);
  const env = options.env ?? process.env;
  const p = raw.protime;
  const domain = p.environment === 'sandbox' ? 'myprotimesandbox.eu' : 'myprotime.eu';
  const baseUrl = (p.baseUrl ?? `https://${p.tenant}.${domain}`).replace(/\/+$/, '');
  const authUrl = (p.authUrl ?? (p.baseUrl !== undefined ? baseUrl : `https://authentication.${domain}`)).replace(/\/+$/, '');
  const clientSecret = resolveSecret(p.clientSecretFile, 'client-secret', 'PTGW_CLIENT_SECRET', 'protime.clientSecretFile', base, env, checked.locator, ['protime', 'clientSecretFile']);
  if (clientSecret === undefined) {
    throw new PtgwError('SECRET_MISSING', 'No client secret: set protime.clientSecretFile, or provide $CREDENTIALS_DIRECTORY/client-secret (systemd LoadCredential) or PTGW_CLIENT_SECRET.', { field: 'protime.clientSecretFile' });
  }
  const adminToken = resolveSecret(raw.http.adminTokenFile, 'admin-token', 'PTGW_ADMIN_TOKEN', 'http.adminTokenFile', base, env, checked.locator, ['http', 'adminTokenFile']);
  const config: Config = {
    source: checked.source,
    site: { timeZone: raw.site.timeZone },
    protime: {
      tenant: p.tenant,
      environment: p.environment,
      baseUrl,
      authUrl,
      clientId: p.clientId,
      clientSecret,
      structureVersions: p.structureVersions.map((sv) => (typeof sv === 'string' ? { id: sv, levels: undefined } : { id: sv.id, levels: sv.levels })),
      useDelta: p.useDelta,
    },
    sync: raw.sync,
    cache: { path: raw.cache.path === ':memory:' ? raw.cache.path : resolve(base, raw.cache.path) },
    http: { listen: parseListen(raw.http.listen) as { host: string; port: number }, adminToken },
    devices: raw.devices.map((d) => ({ id: d.id, profile: d.profile, path: d.path, host: d.host, port: d.port, match: d.match })),
    terminals: raw.terminals.map((t) => ({ ...t, language: t.language })),
    noUsagePolicy: raw.noUsagePolicy,
    outbox: raw.outbox,
    log: raw.log,
  };
  return deepFreeze(config);
}
