import { z } from 'zod';
import type { WriteProblem } from '../../core/writeChecks.js';

/**
 * Request bodies of the write endpoints, as the seed pages define them. Types are checked here;
 * the rules that need the cache (uniqueness, overlaps, parents) are in core/writeChecks.
 */
const optionalText = z.string().nullish();

export const definitionBodySchema = z.object({
  name: z.object({ default: z.string().optional(), translations: z.record(z.string(), z.string()).nullish() }).optional(),
  parent: z.object({ id: z.string().min(1) }).nullish().transform((p) => p ?? undefined),
  shortCode: optionalText,
  dataEntryCode: optionalText,
  externalReference: optionalText,
  info: optionalText,
  activeFrom: optionalText,
  activeUntil: optionalText,
  changeVersion: z.unknown().optional(),
});
export type DefinitionBody = z.infer<typeof definitionBodySchema>;

const usageKey = {
  activityUsageKind: z.enum(['Person', 'Group', 'Circle'], { error: 'must be Person, Group or Circle' }),
  usageReference: z.object({ id: z.number({ error: 'must be a number' }).int() }),
};

export const usageBodySchema = z.object({ ...usageKey, from: z.string(), until: z.string().nullish().transform((u) => u ?? undefined) });
export type UsageBody = z.infer<typeof usageBodySchema>;

export const usageUpdateBodySchema = z.object({
  ...usageKey,
  originalFrom: z.string(),
  // Seed 000 names an open-ended usage by leaving originalUntil out (unlike updatedUntil, where ""
  // is documented): "" and null from the integrator both mean that, and are not sent on.
  originalUntil: z
    .string()
    .nullish()
    .transform((u) => (u === '' || u === null ? undefined : u)),
  updatedFrom: z.string(),
  updatedUntil: z.string().nullish().transform((u) => u ?? undefined),
});
export type UsageUpdateBody = z.infer<typeof usageUpdateBodySchema>;

export const restrictionsBodySchema = z.array(z.object({ level: z.number().int(), activityDefinitions: z.array(z.object({ id: z.string().min(1) })) }), {
  error: 'the body must be a bare JSON array of {level, activityDefinitions: [{id}]} ([] clears them)',
});
export type RestrictionsBody = z.infer<typeof restrictionsBodySchema>;

/** Parses a body, or names the first field that is wrong. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): { ok: true; value: z.infer<S> } | { ok: false; problem: WriteProblem } {
  // zod 4 leaves the input off its issues unless asked; without it every wrong type read as "required".
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? '(body)' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
  const message = issue?.code === 'invalid_type' && issue.input === undefined ? `${field} is required.` : `${field}: ${issue?.message ?? 'invalid'}.`;
  return { ok: false, problem: { field, message, status: 400 } };
}
