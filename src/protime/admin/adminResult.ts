import type { PtgwError } from '../../core/errors.js';
import type { WriteProblem } from '../../core/writeChecks.js';
import { clientErrorsExcept, type ApiResponse } from '../ProtimeClient.js';

/** What an admin write or read answers the integrator: Protime's answer, or a refusal with a stable code. */
export type AdminResult =
  | {
      ok: true;
      status: number;
      body: unknown;
      location?: string | undefined;
      /** The written definition's internal id, when known (from the cache, the answer's body or its Location). */
      id?: string | undefined;
    }
  | {
      ok: false;
      status: number;
      body: { error: { code: string; message: string; field?: string | undefined; upstream?: unknown } };
      /** For a 429: the Retry-After to hand on to the integrator, as Protime gave it. */
      retryAfter?: string | undefined;
    };

/**
 * Client errors Protime explains in its body: handed back to the integrator as they came. Not 401:
 * that one is about the gateway's own token, which the client renews and retries once; should it
 * persist, the integrator gets a 502 (the gateway's credentials), not a 401 (as if theirs were wrong).
 */
export const PASS_THROUGH = clientErrorsExcept(401);

/**
 * Protime could not be asked (network, its own 5xx, the gateway's credentials refused), or asked
 * the gateway to wait (a 429, of the token endpoint among others): the integrator waits as long.
 */
export function unreachable(err: PtgwError): AdminResult {
  const body = { error: { code: err.code, message: err.message } };
  if (err.code === 'SYNC_RATE_LIMITED') return { ok: false, status: 429, body, retryAfter: err.retryAfterSeconds === undefined ? undefined : String(Math.ceil(err.retryAfterSeconds)) };
  return { ok: false, status: err.status !== undefined && err.status >= 500 ? err.status : 502, body };
}

export function upstreamRefused(method: string, res: ApiResponse): AdminResult {
  const retryAfter = res.status === 429 ? res.headers['retry-after'] : undefined;
  return {
    ok: false,
    status: res.status,
    body: { error: { code: 'UPSTREAM_REFUSED', message: `Protime refused the ${method}: ${upstreamText(res.body)}`, upstream: res.body } },
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
  };
}

/** A refusal of the gateway's own checks: the first problem's status and field, every problem's message. */
export function refused(problems: WriteProblem[]): AdminResult {
  const first = problems[0] as WriteProblem;
  const message = problems.map((p) => p.message).join(' ');
  return { ok: false, status: first.status, body: { error: { code: first.status === 404 ? 'NOT_FOUND' : 'INVALID', message, field: first.field } } };
}

function upstreamText(body: unknown): string {
  if (body !== null && typeof body === 'object') {
    const b = body as { title?: unknown; detail?: unknown; errors?: unknown };
    const parts = [b.title, b.detail].filter((x): x is string => typeof x === 'string');
    if (b.errors !== null && typeof b.errors === 'object') for (const [f, m] of Object.entries(b.errors as object)) parts.push(`${f}: ${Array.isArray(m) ? m.join(' ') : String(m)}`);
    if (parts.length > 0) return parts.join(' ');
  }
  return typeof body === 'string' ? body.slice(0, 300) : 'no details';
}
