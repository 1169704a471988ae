import { z } from 'zod';
import { PtgwError } from '../core/errors.js';

const common = {
  /** Which requests: a method, and a substring of the path (query included). */
  match: z.object({ method: z.string().min(1).optional(), path: z.string().min(1).optional() }).optional(),
  /** How many requests it hits; -1 or Infinity (which JSON cannot carry) = until cleared. */
  times: z
    .union([
      z
        .number()
        .int()
        .refine((n) => n === -1 || n >= 1, 'must be a whole number of at least 1, or -1 for "until cleared"'),
      // zod's number() refuses Infinity itself.
      z.custom<number>((n) => n === Infinity).transform(() => -1),
    ])
    .default(1),
};

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('latency'), ms: z.number().int().min(0) }),
  z.object({ ...common, kind: z.literal('status'), status: z.number().int().min(400).max(599) }),
  z.object({ ...common, kind: z.literal('rate-limit'), retryAfterSeconds: z.number().int().min(0).default(1) }),
  z.object({ ...common, kind: z.enum(['reset', 'malformed', 'truncated', 'empty-page', 'hang', 'after-store-reset']) }),
]);
/** A fault as tests write it (`times` defaults to 1). */
export type Fault = z.input<typeof faultSchema>;
export type ActiveFault = z.output<typeof faultSchema>;

/**
 * Faults waiting for requests, first match wins. They never apply to the `/__sim/` control
 * endpoints or the root `/clockings` view (the server does not ask), and only hit the token
 * endpoint when `match.path` says so — a test aiming at the API should not break the token fetch.
 */
export class FaultList {
  #faults: { fault: ActiveFault; remaining: number }[] = [];

  add(fault: Fault): void {
    const parsed = faultSchema.safeParse(fault);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PtgwError('INVALID_ARGUMENT', `Invalid simulator fault at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}.`, {
        field: issue?.path.join('.'),
      });
    }
    this.#faults.push({ fault: parsed.data, remaining: parsed.data.times });
  }

  clear(): void {
    this.#faults = [];
  }

  /** The first fault matching this request, without using it up (see `consume`). */
  find(method: string, pathAndQuery: string, isTokenEndpoint: boolean): ActiveFault | undefined {
    return this.#faults.find(({ fault }) => {
      const m = fault.match;
      if (m?.method !== undefined && m.method.toUpperCase() !== method.toUpperCase()) return false;
      if (m?.path === undefined) return !isTokenEndpoint;
      return pathAndQuery.includes(m.path);
    })?.fault;
  }

  consume(fault: ActiveFault): void {
    const at = this.#faults.findIndex((f) => f.fault === fault);
    const entry = this.#faults[at];
    if (entry === undefined || entry.remaining === -1) return;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.#faults.splice(at, 1);
  }
}
