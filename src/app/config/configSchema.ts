import { z } from 'zod';
import { SiteCalendar } from '../../core/clock.js';
import { parseListen } from './listen.js';

/**
 * The YAML as written, before it is resolved against the file's folder and the environment.
 * Strict objects everywhere: a misspelt key is an error with its line, never silently ignored.
 * Rules that need several sections at once (a terminal's devices, its structure version) live in
 * crossChecks.ts, so they can still run when an unrelated section is broken.
 */

// Ids show up in logs, metric labels and the status page: keep them to plain characters.
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'expected an id of letters, digits, dot, colon, dash or underscore');

// The client secret goes to authUrl and the bearer tokens to baseUrl: plain http only to this machine
// (a simulator beside the gateway), never across the plant's network.
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL like http://127.0.0.1:18080' })
  .refine((u) => !URL.canParse(u) || new URL(u).protocol !== 'http:' || /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i.test(new URL(u).hostname), {
    error: 'plain http only to this machine (127.0.0.1, ::1, localhost): elsewhere the client secret and tokens would cross the network readable; use https://',
  });

// Plain http to a proxy elsewhere is fine, unlike baseUrl: the requests to Protime (https) go through
// a CONNECT tunnel, TLS end to end, so the proxy never sees the secret or the tokens. Its own
// password is a secret like the others and never written here (protime.proxyPasswordFile).
const proxyUrl = z
  .url({ protocol: /^https?$/, error: 'expected a proxy URL like http://proxy.plant.local:3128' })
  .refine((u) => !URL.canParse(u) || new URL(u).password === '', {
    error: 'the password is not written in the config: give the user only (http://user@host:port) and the password in protime.proxyPasswordFile, $CREDENTIALS_DIRECTORY/proxy-password or PTGW_PROXY_PASSWORD',
  })
  .refine((u) => !URL.canParse(u) || (new URL(u).pathname === '/' && new URL(u).search === '' && new URL(u).hash === ''), {
    error: 'expected only the scheme, host and port, like http://proxy.plant.local:3128',
  });

// YAML reads 0x05e0 as a number already; "0x05e0" in quotes is accepted too, as lsusb prints it.
const usbId = z.preprocess(
  (v) => (typeof v === 'string' && /^0x[0-9a-f]{1,4}$/i.test(v) ? Number.parseInt(v, 16) : v),
  z.number({ error: 'expected a USB id like 0x05e0' }).int().min(0).max(0xffff),
);

const timeZone = z.string().superRefine((tz, ctx) => {
  try {
    new SiteCalendar(tz);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${tz}" is not a known IANA time zone (e.g. Europe/Brussels)` });
  }
});

// An entry is either the bare id or {id, levels}; the bare form is rewritten so that errors inside
// the long form still point at the right key.
const structureVersion = z.preprocess(
  (v) => (typeof v === 'string' ? { id: v } : v),
  z.strictObject(
    {
      id: z.string().min(1),
      levels: z.number().int().min(1).optional(),
    },
    {
      error: (iss) => {
        if (iss.code !== 'invalid_type') return undefined;
        // An all-digit id is read by YAML as a number; saying so beats a bare "wrong type".
        return typeof iss.input === 'number' ? 'expected a structure version id, got a number (quote it to keep it as text)' : 'expected a structure version id or {id, levels}';
      },
    },
  ),
);

const device = z
  .strictObject({
    id,
    profile: z.string().min(1),
    path: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    match: z
      .strictObject({ vendorId: usbId.optional(), productId: usbId.optional(), serialNumber: z.string().min(1).optional(), path: z.string().min(1).optional() })
      .refine((m) => Object.values(m).some((v) => v !== undefined), 'give at least one of vendorId, productId, serialNumber, path')
      .optional(),
  })
  .superRefine((d, ctx) => {
    // One way to reach a device, so that which transport is meant is never a guess.
    const tcp = d.host !== undefined || d.port !== undefined;
    const ways = [d.path !== undefined, tcp, d.match !== undefined].filter(Boolean).length;
    if (ways !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of: path (serial), host and port (TCP), or match (HID)' });
    else if (tcp && (d.host === undefined || d.port === undefined)) ctx.addIssue({ code: 'custom', message: 'a TCP device needs both host and port' });
  });

const deviceIds = z.array(z.string().min(1), { error: (iss) => (iss.code === 'invalid_type' ? 'expected a list of device ids' : undefined) });

const terminal = z.strictObject({
  id,
  devices: deviceIds.optional(),
  // DESIGN.md's list of terminal keys calls them `inputs`, its example `devices`: either is taken.
  inputs: deviceIds.optional(),
  structureVersion: z.string().min(1),
  levels: z
    .array(z.number({ error: 'expected a level number' }).int().min(1), { error: (iss) => (iss.code === 'invalid_type' ? 'expected a list of level numbers' : undefined) })
    .min(1, 'expected a list of level numbers, like [1, 2, 3]')
    .superRefine((levels, ctx) => {
      if (levels.some((l, i) => i > 0 && l <= (levels[i - 1] as number))) ctx.addIssue({ code: 'custom', message: 'levels must be strictly increasing, like [1, 2, 3]' });
    }),
  // Fractions are allowed: tests run dialogs with sub-second timeouts.
  timeoutSeconds: z.number().positive().max(3600).default(15),
  language: z.string().min(1).optional(),
  upstream: z
    .strictObject({ externalCode: z.string().min(1).optional(), id: z.number().int().min(1).optional() })
    .refine((u) => u.externalCode !== undefined || u.id !== undefined, 'give externalCode or id: how Protime knows this terminal'),
})
  .superRefine((t, ctx) => {
    if (t.devices !== undefined && t.inputs !== undefined) ctx.addIssue({ code: 'custom', path: ['inputs'], message: 'inputs is another name for devices: give one of them' });
    if (t.devices === undefined && t.inputs === undefined) ctx.addIssue({ code: 'custom', path: ['devices'], message: 'missing (required): the ids of the devices that feed this terminal' });
  })
  .transform(({ inputs, devices, ...t }) => ({ ...t, devices: devices ?? inputs ?? [] }));

// It goes into an HTTP header as is: one line of printable ASCII, or undici refuses it on the first
// request instead of at start-up.
const userAgent = z
  .string()
  .max(200, 'must be at most 200 characters')
  .regex(/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/, 'expected one line of printable ASCII, like ptgw/1.0 (Acme NV)');

const listen = z.string().transform((text, ctx) => {
  const address = parseListen(text);
  if (address === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected host:port, like 127.0.0.1:8080 or [::1]:8080' });
    return z.NEVER;
  }
  return address;
});

export const configSchema = z.strictObject({
  site: z.strictObject({ timeZone }),
  protime: z
    .strictObject({
      // It becomes a host name: <tenant>.myprotime.eu.
      tenant: z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i, 'expected the <tenant> of https://<tenant>.myprotime.eu'),
      environment: z.enum(['production', 'sandbox']).default('production'),
      baseUrl: httpUrl.optional(),
      authUrl: httpUrl.optional(),
      clientId: z.string().min(1),
      clientSecretFile: z.string().min(1).optional(),
      structureVersions: z.array(structureVersion, { error: (iss) => (iss.code === 'invalid_type' ? 'expected a list of structure version ids' : undefined) }).min(1),
      // Replaces the default User-Agent (ptgw/<version> (protime-terminal-gateway)); Protime asks for
      // <product>/<version> (<company>), so an operator may want to name the company.
      userAgent: userAgent.optional(),
      useDelta: z.boolean().default(true),
      // How the tenant gets data entry codes; "manual" lets admin writes refuse a missing code locally.
      dataEntryCodes: z.enum(['manual', 'auto']).optional(),
      proxy: proxyUrl.optional(),
      proxyPasswordFile: z.string().min(1).optional(),
    })
    .superRefine((p, ctx) => {
      // Basic credentials need both halves; a password alone would silently never be sent.
      if (p.proxyPasswordFile !== undefined && (p.proxy === undefined || !URL.canParse(p.proxy) || new URL(p.proxy).username === '')) {
        ctx.addIssue({ code: 'custom', path: ['proxyPasswordFile'], message: 'a proxy password needs the user in protime.proxy, like http://user@proxy.plant.local:3128' });
      }
    }),
  // prefault, not default: zod 4 returns a default as is, a prefault is parsed so inner defaults apply.
  sync: z
    .strictObject({
      intervalSeconds: z.number().int().min(5).default(60),
      fullIntervalSeconds: z.number().int().min(60).default(3600),
    })
    .prefault({}),
  cache: z.strictObject({ path: z.string().min(1).default('/var/lib/ptgw/cache.sqlite') }).prefault({}),
  http: z.strictObject({ listen: listen.default({ host: '127.0.0.1', port: 8080 }), adminTokenFile: z.string().min(1).optional() }).prefault({}),
  devices: z.array(device).default([]),
  terminals: z.array(terminal).default([]),
  noUsagePolicy: z.enum(['deny', 'allow']).default('deny'),
  outbox: z
    .strictObject({
      retentionDays: z.number().int().min(1).default(30),
      // The longest wait between delivery attempts while Protime is unreachable.
      retryMaxSeconds: z.number().min(1).max(3600).default(60),
    })
    .prefault({}),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') }).prefault({}),
});

export type RawConfig = z.output<typeof configSchema>;
export type ConfigSection = keyof RawConfig;
