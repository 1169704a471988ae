import { z } from 'zod';

/**
 * Shapes of Protime's answers that the gateway relies on. Unknown extra fields are allowed (the
 * API grows); missing or mistyped fields we use are errors, so a malformed answer is never applied.
 */

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'a YYYY-MM-DD date');
const optionalDate = z.union([date, z.literal(''), z.null()]).optional();

export const usageSchema = z.object({
  activityUsageKind: z.enum(['Person', 'Group', 'Circle']),
  usageReference: z.object({ id: z.number().int() }),
  from: date,
  until: optionalDate,
});

export const restrictionSchema = z.object({
  level: z.number().int().min(1),
  activityDefinitions: z.array(z.object({ id: z.string().min(1) })),
});

export const definitionSchema = z.object({
  id: z.string().min(1),
  structureVersion: z.string().min(1).optional(),
  level: z.number().int().min(1).optional(),
  changeVersion: z.union([z.string(), z.number()]).transform(String).optional(),
  name: z.object({ default: z.string(), translations: z.record(z.string(), z.string()).nullish() }),
  parent: z.object({ id: z.string().min(1) }).nullish(),
  shortCode: z.string().nullish(),
  dataEntryCode: z.string().nullish(),
  externalReference: z.string().nullish(),
  info: z.string().nullish(),
  activeFrom: optionalDate,
  activeUntil: optionalDate,
  // null is an empty list (as Protime writes it); absent means not expanded, fetched separately.
  usages: z
    .array(usageSchema)
    .nullish()
    .transform((v) => (v === null ? [] : v)),
  restrictions: z
    .array(restrictionSchema)
    .nullish()
    .transform((v) => (v === null ? [] : v)),
});
export type ApiDefinition = z.infer<typeof definitionSchema>;

/** People as listed by `GET /people` (badge number as the `@badge-number` reference: inferred shape). */
export const personSchema = z.object({
  id: z.number().int(),
  changeVersion: z.union([z.string(), z.number()]).transform(String).optional(),
  badgeNumber: z.string().nullish(),
  badgeNumbers: z.array(z.string()).nullish(),
  inServiceDate: optionalDate,
  outOfServiceDate: optionalDate,
});
export type ApiPerson = z.infer<typeof personSchema>;

export function listPageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    value: z.array(item),
    nextLink: z.string().min(1).nullish(),
    deltaLink: z.string().min(1).nullish(),
  });
}

export function deltaPageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    value: z.array(
      z.discriminatedUnion('changeType', [
        z.object({ changeType: z.literal('InsertOrUpdate'), data: item }),
        z.object({
          changeType: z.literal('Delete'),
          data: z.object({ id: z.union([z.string(), z.number()]), changeVersion: z.union([z.string(), z.number()]).transform(String).optional() }),
        }),
      ]),
    ),
    nextLink: z.string().min(1).nullish(),
    deltaLink: z.string().min(1).nullish(),
  });
}

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});
