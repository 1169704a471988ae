import { badRequest } from './ProblemError.js';

export const API_BASE = '/connector/protimeapi/api/v1';

/**
 * Where the next page starts. `offset` indexes the collection's stable order; a listing that
 * starts a delta also carries its session and mark, and a delta answer the high-water mark its
 * change set was cut at, so that every page of one walk answers from the same cut.
 */
export interface Continuation {
  offset: number;
  session?: string;
  mark?: number;
}

export function encodeContinuation(c: Continuation): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeContinuation(text: string | null): Continuation {
  if (text === null) return { offset: 0 };
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Continuation;
    if (Number.isInteger(c.offset) && c.offset >= 0) return c;
  } catch {
    // falls through to the 400 below
  }
  throw badRequest('continuationToken', 'The continuationToken is not one this API issued.');
}

/** The request's own link (original query kept as sent) with `continuationToken` set to `token`. */
export function nextLink(pathname: string, rawQuery: string, token: string): string {
  const kept = rawQuery
    .split('&')
    .filter((part) => part !== '' && !part.startsWith('continuationToken='))
    .join('&');
  return `${pathname}?${kept === '' ? '' : `${kept}&`}continuationToken=${token}`;
}

export interface Page<T> {
  items: T[];
  /** Offset of the next page, or undefined on the last page. */
  next: number | undefined;
}

export function pageOf<T>(all: readonly T[], offset: number, pageSize: number): Page<T> {
  const end = offset + pageSize;
  return { items: all.slice(offset, end), next: end < all.length ? end : undefined };
}
