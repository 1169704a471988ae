import type { Person } from '../core/model.js';
import type { UsageReferences } from '../cache/ModelStore.js';
import { toPerson } from './mapModel.js';
import type { ProtimeClient } from './ProtimeClient.js';
import { listPageSchema, personSchema, type ApiPerson } from './schemas.js';
import { SCOPES } from '../core/scopes.js';
import { walkPages } from './walkPages.js';

const pageSchema = listPageSchema(personSchema);
/** Ids per `id in (...)` filter: keeps URLs far below the 414 limit. */
const IDS_PER_CALL = 100;

/**
 * The people the gateway must know: everyone a usage can reach. Group and circle membership is
 * not a field of a person, so it is learned by listing `person in org-tree(g)` per group and
 * `person in circle(c)` per circle (the API lists people only with a filter).
 */
export async function fetchPeople(client: ProtimeClient, refs: UsageReferences, signal?: AbortSignal): Promise<Person[]> {
  const found = new Map<number, { api: ApiPerson; groups: number[]; circles: number[] }>();
  const take = async (filter: string, note?: { groups?: number; circles?: number }): Promise<void> => {
    for await (const page of walkPages(client, `/people?filter=${encodeURIComponent(filter)}`, pageSchema, { scope: SCOPES.peopleRead, signal })) {
      for (const api of page.value) {
        let entry = found.get(api.id);
        if (entry === undefined) {
          entry = { api, groups: [], circles: [] };
          found.set(api.id, entry);
        }
        if (note?.groups !== undefined) entry.groups.push(note.groups);
        if (note?.circles !== undefined) entry.circles.push(note.circles);
      }
    }
  };
  for (const g of [...refs.Group].sort((a, b) => a - b)) await take(`person in org-tree(${g})`, { groups: g });
  for (const c of [...refs.Circle].sort((a, b) => a - b)) await take(`person in circle(${c})`, { circles: c });
  const persons = [...refs.Person].filter((id) => !found.has(id)).sort((a, b) => a - b);
  for (let i = 0; i < persons.length; i += IDS_PER_CALL) await take(`id in (${persons.slice(i, i + IDS_PER_CALL).join(',')})`);
  return [...found.values()].map((e) => toPerson(e.api, e.groups, e.circles));
}
