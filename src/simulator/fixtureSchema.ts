import { z } from 'zod';
import { isCalendarDate } from './calendarDate.js';

/**
 * The simulator's fixture file (DESIGN.md "Simulator fixture"): one tenant with its API clients,
 * structure versions, definitions, people and terminals. Ids of structure versions and definitions
 * are opaque strings — the seed pages themselves use `…-7es2cc8c3281`, which is not hex.
 */

export const dateSchema = z.string().refine(isCalendarDate, 'must be a YYYY-MM-DD date');
/** Open ends may be written as absent, null or "" (as the API accepts them); all mean "open". */
const openDateSchema = z
  .union([dateSchema, z.literal(''), z.null()])
  .optional()
  .transform((d) => (d === '' || d === null ? undefined : d));

export const usageKindSchema = z.enum(['Person', 'Group', 'Circle']);

export const usageSchema = z.object({
  activityUsageKind: usageKindSchema,
  usageReference: z.object({ id: z.number().int() }),
  from: dateSchema,
  until: openDateSchema,
});
export type FixtureUsage = z.output<typeof usageSchema>;

export const restrictionSchema = z.object({
  level: z.number().int().min(1),
  activityDefinitions: z.array(z.object({ id: z.string().min(1) })),
});
export type FixtureRestriction = z.output<typeof restrictionSchema>;

const code16 = z.string().min(1).max(16, 'must be at most 16 characters');
const optionalText = z
  .string()
  .nullish()
  .transform((s) => s ?? undefined);

export const definitionSchema = z.object({
  id: z.string().min(1),
  structureVersion: z.string().min(1),
  level: z.number().int().min(1),
  name: z.object({ default: z.string().min(1), translations: z.record(z.string(), z.string()).nullish().transform((t) => t ?? {}) }),
  parent: z
    .object({ id: z.string().min(1) })
    .nullish()
    .transform((p) => p ?? undefined),
  shortCode: optionalText,
  dataEntryCode: code16.nullish().transform((s) => s ?? undefined),
  externalReference: code16.nullish().transform((s) => s ?? undefined),
  info: optionalText,
  activeFrom: openDateSchema,
  activeUntil: openDateSchema,
  /** Custom external-reference key → value, e.g. {"CustomActivityReference": "Cleaning"}. */
  customReferences: z.record(z.string().min(1), z.string().min(1)).default({}),
  usages: z.array(usageSchema).default([]),
  restrictions: z.array(restrictionSchema).default([]),
});
/** A definition as written in a fixture (and as `store.upsertDefinition` takes it). */
export type FixtureDefinitionInput = z.input<typeof definitionSchema>;
export type FixtureDefinition = z.output<typeof definitionSchema>;

export const personSchema = z.object({
  id: z.number().int(),
  badgeNumber: z.string().min(1).nullish().transform((s) => s ?? undefined),
  employeeNumber: z.string().min(1).nullish().transform((s) => s ?? undefined),
  groups: z.array(z.number().int()).default([]),
  circles: z.array(z.number().int()).default([]),
  inServiceDate: openDateSchema,
  outOfServiceDate: openDateSchema,
  firstName: optionalText,
  lastName: optionalText,
});
export type FixturePersonInput = z.input<typeof personSchema>;
export type FixturePerson = z.output<typeof personSchema>;

export const deltaCollectionSchema = z.enum(['people', 'activity-definitions']);
export type DeltaCollection = z.output<typeof deltaCollectionSchema>;

export const fixtureSchema = z.object({
  tenant: z.string().min(1),
  dataEntryCodeMode: z.enum(['manual', 'auto']).default('manual'),
  clients: z.array(z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), scopes: z.array(z.string().min(1)) })).min(1),
  structureVersions: z.array(
    z.object({
      id: z.string().min(1),
      levels: z.number().int().min(1),
      defaultUsage: z.object({ enabled: z.boolean(), groups: z.array(z.number().int()).default([]) }).default({ enabled: false, groups: [] }),
    }),
  ),
  definitions: z.array(definitionSchema).default([]),
  people: z.array(personSchema).default([]),
  terminals: z.array(z.object({ id: z.number().int(), externalCode: z.string().min(1).nullish().transform((s) => s ?? undefined) })).default([]),
  /** Which collections answer `delta`; activity definitions are not confirmed to upstream. */
  deltaCollections: z.array(deltaCollectionSchema).default(['people']),
});
export type Fixture = z.output<typeof fixtureSchema>;
export type FixtureInput = z.input<typeof fixtureSchema>;
export type FixtureStructureVersion = Fixture['structureVersions'][number];
