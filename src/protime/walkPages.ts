import type { z } from 'zod';
import { PtgwError } from '../core/errors.js';
import { shortPath, type ProtimeClient, type RequestOptions } from './ProtimeClient.js';

type Paged = z.ZodType<{ nextLink?: string | null | undefined }>;

/**
 * The pages of a listing from `first`, following nextLink until it is absent. A nextLink to a page
 * already read (a page naming itself, pages that cycle) would be followed forever, every page's
 * items piling up: the listing is refused as malformed instead.
 */
export async function* walkPages<S extends Paged>(client: ProtimeClient, first: string, schema: S, options: Omit<RequestOptions, 'method' | 'body'>): AsyncGenerator<z.infer<S>> {
  const read = new Set<string>();
  let link = first;
  for (;;) {
    read.add(link);
    const page = await client.getJson(link, schema, options);
    yield page;
    const next = page.nextLink;
    if (next === undefined || next === null || next === '') return;
    if (read.has(next)) {
      throw new PtgwError('SYNC_MALFORMED_RESPONSE', `Protime's listing ${shortPath(first)} links back to a page already read (${shortPath(next)}), so it would never end.`);
    }
    link = next;
  }
}
