import { resolve } from 'node:path';
import type { RawConfig } from './configSchema.js';
import type { Config, DeviceConfig, LocalConfig, ProxyConfig, TerminalConfig } from './configTypes.js';
import type { Secret } from './secret.js';

/** The parts of a Config that are not in the file: where it was, and the secrets found for it. */
export interface ResolveContext {
  readonly source: string;
  readonly baseDir: string;
  readonly clientSecret: Secret;
  readonly adminToken: Secret | undefined;
  /** Found when protime.proxy names a user. */
  readonly proxyPassword: Secret | undefined;
}

const DOMAINS = { production: 'myprotime.eu', sandbox: 'myprotimesandbox.eu' } as const;

/**
 * Turns the validated YAML into the Config the gateway uses: URLs derived from the tenant and
 * environment, relative file paths anchored at the config's folder, absent optional keys left out.
 */
export function resolveConfig(raw: RawConfig, ctx: ResolveContext): Config {
  const p = raw.protime;
  const local = resolveLocalConfig(raw, ctx);
  return {
    ...local,
    protime: {
      tenant: p.tenant,
      environment: p.environment,
      ...protimeUrls(p),
      clientId: p.clientId,
      clientSecret: ctx.clientSecret,
      structureVersions: local.protime.structureVersions,
      userAgent: p.userAgent,
      useDelta: p.useDelta,
      dataEntryCodes: p.dataEntryCodes,
      proxy: p.proxy === undefined ? undefined : proxyConfig(p.proxy, ctx.proxyPassword),
    },
    sync: { intervalSeconds: raw.sync.intervalSeconds, fullIntervalSeconds: raw.sync.fullIntervalSeconds },
    http: { listen: { host: raw.http.listen.host, port: raw.http.listen.port }, adminToken: ctx.adminToken },
    devices: raw.devices.map(device),
    outbox: { retentionDays: raw.outbox.retentionDays, retryMaxSeconds: raw.outbox.retryMaxSeconds },
    log: { level: raw.log.level },
  };
}

/** The part of the config that the cache-only commands read, without any secret. */
export function resolveLocalConfig(raw: RawConfig, ctx: Pick<ResolveContext, 'source' | 'baseDir'>): LocalConfig {
  return {
    source: ctx.source,
    site: { timeZone: raw.site.timeZone },
    protime: { structureVersions: raw.protime.structureVersions.map((sv) => ({ id: sv.id, levels: sv.levels })) },
    // ':memory:' is SQLite's name for a throw-away database, not a file.
    cache: { path: raw.cache.path === ':memory:' ? raw.cache.path : resolve(ctx.baseDir, raw.cache.path) },
    terminals: raw.terminals.map(terminal),
    noUsagePolicy: raw.noUsagePolicy,
  };
}

/**
 * baseUrl replaces https://<tenant>.<domain> (for a simulator or a proxy; the API paths stay the
 * real ones). The token endpoint lives on a separate host in Protime, but a simulator serves both,
 * so authUrl follows baseUrl unless given too.
 */
export function protimeUrls(p: { tenant: string; environment: 'production' | 'sandbox'; baseUrl?: string | undefined; authUrl?: string | undefined }): { baseUrl: string; authUrl: string } {
  const domain = DOMAINS[p.environment];
  const baseUrl = trimSlash(p.baseUrl ?? `https://${p.tenant}.${domain}`);
  const authUrl = trimSlash(p.authUrl ?? (p.baseUrl !== undefined ? baseUrl : `https://authentication.${domain}`));
  return { baseUrl, authUrl };
}

/** The user a proxy URL names (percent-decoded), or undefined, for anything the schema would refuse too. */
export function proxyUser(value: unknown): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const { username } = new URL(value);
  return username === '' ? undefined : decodeURIComponent(username);
}

/** The URL without the user, for errors and status; the user and password go in the proxy's own header. */
function proxyConfig(url: string, password: Secret | undefined): ProxyConfig {
  const user = proxyUser(url);
  return { url: new URL(url).origin, user, password: user === undefined ? undefined : password };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

// Device paths (/dev/serial/by-id/..., hidraw or platform HID paths) name devices, not files next
// to the config, so they are kept as written.
function device(d: RawConfig['devices'][number]): DeviceConfig {
  return {
    id: d.id,
    profile: d.profile,
    ...(d.path === undefined ? {} : { path: d.path }),
    ...(d.host === undefined ? {} : { host: d.host }),
    ...(d.port === undefined ? {} : { port: d.port }),
    ...(d.match === undefined ? {} : { match: defined(d.match) }),
  };
}

function terminal(t: RawConfig['terminals'][number]): TerminalConfig {
  return {
    id: t.id,
    devices: [...t.devices],
    structureVersion: t.structureVersion,
    levels: [...t.levels],
    timeoutSeconds: t.timeoutSeconds,
    ...(t.language === undefined ? {} : { language: t.language }),
    upstream: defined(t.upstream),
  };
}

/** The object without its undefined properties, so JSON and deep equality show only what was written. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
