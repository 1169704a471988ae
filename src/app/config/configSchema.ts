import { z } from 'zod';

/** The YAML as written (before defaults are resolved against the file and the environment). */

const hexOrNumber = z.union([z.number().int().min(0).max(0xffff), z.string().regex(/^0x[0-9a-fA-F]{1,4}$/, 'a number like 0x05e0').transform((s) => Number.parseInt(s, 16))]);

const structureVersion = z.union([
  z.string().min(1),
  z.object({ id: z.string().min(1), levels: z.number().int().min(1).max(20).optional() }).strict(),
]);

const device = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, dot, dash or underscore'),
    profile: z.string().min(1),
    path: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    match: z.object({ vendorId: hexOrNumber.optional(), productId: hexOrNumber.optional(), serialNumber: z.string().optional(), path: z.string().optional() }).strict().optional(),
  })
  .strict();

const terminal = z
  .object({
    id: z.string().min(1),
    devices: z.array(z.string().min(1)).min(1),
    structureVersion: z.string().min(1),
    levels: z.array(z.number().int().min(1).max(20)).min(1),
    timeoutSeconds: z.number().positive().max(3600).default(15),
    language: z.string().min(1).optional(),
    upstream: z.object({ externalCode: z.string().min(1).optional(), id: z.number().int().optional() }).strict(),
  })
  .strict();

export const configSchema = z
  .object({
    site: z.object({ timeZone: z.string().min(1) }).strict(),
    protime: z
      .object({
        tenant: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'the tenant name of <tenant>.myprotime.eu'),
        environment: z.enum(['production', 'sandbox']).default('production'),
        baseUrl: z.url({ protocol: /^https?$/ }).optional(),
        authUrl: z.url({ protocol: /^https?$/ }).optional(),
        clientId: z.string().min(1),
        clientSecretFile: z.string().min(1).optional(),
        structureVersions: z.array(structureVersion).min(1),
        useDelta: z.boolean().default(true),
      })
      .strict(),
    sync: z.object({ intervalSeconds: z.number().int().min(5).default(60), fullIntervalSeconds: z.number().int().min(60).default(3600) }).strict().default({ intervalSeconds: 60, fullIntervalSeconds: 3600 }),
    cache: z.object({ path: z.string().min(1).default('/var/lib/ptgw/cache.sqlite') }).strict().default({ path: '/var/lib/ptgw/cache.sqlite' }),
    http: z
      .object({ listen: z.string().default('127.0.0.1:8080'), adminTokenFile: z.string().min(1).optional() })
      .strict()
      .default({ listen: '127.0.0.1:8080' }),
    devices: z.array(device).default([]),
    terminals: z.array(terminal).default([]),
    noUsagePolicy: z.enum(['deny', 'allow']).default('deny'),
    outbox: z.object({ retentionDays: z.number().int().min(1).default(30) }).strict().default({ retentionDays: 30 }),
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') }).strict().default({ level: 'info' }),
  })
  .strict();

export type RawConfig = z.output<typeof configSchema>;
