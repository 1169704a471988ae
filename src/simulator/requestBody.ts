import type { z } from 'zod';
import { badRequest, ProblemError } from './ProblemError.js';

/** The JSON of a request body; a missing or malformed body is a 400 under `$`, as ASP.NET names it. */
export function readJson(body: string): unknown {
  if (body.trim() === '') throw badRequest('$', 'A JSON request body is required.');
  try {
    return JSON.parse(body);
  } catch (err) {
    throw badRequest('$', `The JSON request body is malformed: ${(err as Error).message}.`);
  }
}

/** Parses with a zod schema; every issue becomes an entry of `errors`, keyed by its field path. */
export function parseBody<S extends z.ZodType>(schema: S, json: unknown): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length === 0 ? '$' : issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
    (errors[field] ??= []).push(issue.message);
  }
  const [firstField, firstMessages] = Object.entries(errors)[0]!;
  throw new ProblemError(400, `${firstField}: ${firstMessages[0]}`, errors);
}
