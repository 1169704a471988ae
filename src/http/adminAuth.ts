import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a bearer token in constant time (hashing first makes the lengths equal too). */
export function tokenMatches(header: string | undefined, expected: string): boolean {
  if (header === undefined) return false;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (m === null) return false;
  const a = createHash('sha256').update(m[1] as string).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
