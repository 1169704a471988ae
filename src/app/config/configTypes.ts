import type { Secret } from './secret.js';

/**
 * The resolved configuration the rest of the gateway sees: defaults filled in, paths absolute,
 * URLs derived, secrets read. Everything is readonly (and deep-frozen at run time) so that no
 * component can change what another one was configured with.
 */

/** How a HID device is found again after it is re-plugged; ids are numbers even when written "0x05e0". */
export interface DeviceMatch {
  readonly vendorId?: number;
  readonly productId?: number;
  readonly serialNumber?: string;
  readonly path?: string;
}

/** Where a device is: exactly one of `path` (serial), `host` + `port` (TCP) or `match` (HID). */
export interface DeviceConfig {
  readonly id: string;
  /** Names a profile of device-profiles/; checked against the profiles when the gateway starts. */
  readonly profile: string;
  readonly path?: string;
  readonly host?: string;
  readonly port?: number;
  readonly match?: DeviceMatch;
}

/** How Protime knows a terminal: at least one of them (the id wins when both are given). */
export interface TerminalUpstream {
  readonly externalCode?: string;
  readonly id?: number;
}

export interface TerminalConfig {
  readonly id: string;
  /** Ids of configured devices; each device feeds at most one terminal. */
  readonly devices: readonly string[];
  readonly structureVersion: string;
  /** The levels collected, in order: non-empty, strictly increasing, from 1. */
  readonly levels: readonly number[];
  readonly timeoutSeconds: number;
  readonly language?: string;
  readonly upstream: TerminalUpstream;
}

export interface StructureVersionConfig {
  /** Opaque: Protime's own examples are not valid GUIDs, so the syntax is not checked. */
  readonly id: string;
  /** Undefined: the sync engine finds the depth by probing levels. */
  readonly levels: number | undefined;
}

/** The outbound proxy to Protime (protime.proxy). */
export interface ProxyConfig {
  /** scheme://host:port, never with credentials: safe to show. */
  readonly url: string;
  /** Set when the proxy wants Basic credentials; the password is then set too. */
  readonly user: string | undefined;
  readonly password: Secret | undefined;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface Config {
  /** Absolute path of the file read. */
  readonly source: string;
  readonly site: { readonly timeZone: string };
  readonly protime: {
    readonly tenant: string;
    readonly environment: 'production' | 'sandbox';
    /** No trailing slash. */
    readonly baseUrl: string;
    /** No trailing slash. */
    readonly authUrl: string;
    readonly clientId: string;
    readonly clientSecret: Secret;
    readonly structureVersions: readonly StructureVersionConfig[];
    /** Undefined: the gateway's own `ptgw/<version> (protime-terminal-gateway)`. */
    readonly userAgent: string | undefined;
    /** False on a second gateway of the same tenant: only one delta per collection may be active. */
    readonly useDelta: boolean;
    /** Unset: not checked locally (Protime still refuses what it must). */
    readonly dataEntryCodes: 'manual' | 'auto' | undefined;
    /** Undefined: straight to Protime. */
    readonly proxy: ProxyConfig | undefined;
  };
  readonly sync: {
    readonly intervalSeconds: number;
    readonly fullIntervalSeconds: number;
    /** Entries per list page asked of Protime; undefined: Protime's default. */
  };
  readonly cache: { readonly path: string };
  readonly http: {
    readonly listen: { readonly host: string; readonly port: number };
    /** Undefined: the admin endpoints are off. */
    readonly adminToken: Secret | undefined;
  };
  readonly devices: readonly DeviceConfig[];
  readonly terminals: readonly TerminalConfig[];
  readonly noUsagePolicy: 'deny' | 'allow';
  readonly outbox: { readonly retentionDays: number; readonly retryMaxSeconds: number };
  readonly log: { readonly level: LogLevel };
}

/** One thing wrong with a config file, for `ptgw check-config` (which prints each with its line). */
export interface ConfigProblem {
  /** 1-based; absent when the problem has no place in the file (e.g. a required top-level key). */
  line?: number;
  column?: number;
  /** The key path as written, e.g. `terminals[0].levels`; empty for YAML syntax errors. */
  key: string;
  /** A phrase without the key, e.g. `expected a list of level numbers`. Never contains a secret. */
  message: string;
}

/**
 * What the commands that only read the cache (`ptgw lookup`, `ptgw outbox list|retry`) need: no
 * secret, so that they work at a box whose secrets systemd hands to the service alone.
 */
export type LocalConfig = Pick<Config, 'source' | 'site' | 'cache' | 'terminals' | 'noUsagePolicy'> & { readonly protime: Pick<Config['protime'], 'structureVersions'> };

export interface LoadOptions {
  /** The config file; without it /etc/ptgw/config.yaml, then ./ptgw.yaml (relative to `cwd`). */
  path?: string | undefined;
  /** Where secrets may come from (CREDENTIALS_DIRECTORY, PTGW_CLIENT_SECRET, PTGW_ADMIN_TOKEN, PTGW_PROXY_PASSWORD); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default process.cwd(). */
  cwd?: string;
  /** Where to look without `path`; DEFAULT_CONFIG_PATHS unless a test needs a machine-independent list. */
  searchPaths?: readonly string[];
}
