import type { Logger } from 'pino';
import { isPtgwError } from '../core/errors.js';
import type { DefinitionRecord } from '../cache/syncBatch.js';
import { toDefinitionRecord } from './mapModel.js';
import type { ProtimeClient } from './ProtimeClient.js';
import { deltaPageSchema, definitionSchema, listPageSchema, restrictionSchema, usageSchema, type ApiDefinition } from './schemas.js';
import { SCOPES } from '../core/scopes.js';
import { walkPages } from './walkPages.js';
import { z } from 'zod';

const listSchema = listPageSchema(definitionSchema);
const deltaSchema = deltaPageSchema(definitionSchema);
const usagesAnswer = z.object({ usages: z.array(usageSchema) });
const restrictionsAnswer = z.object({ restrictions: z.array(restrictionSchema) });

export interface LevelListing {
  records: DefinitionRecord[];
  /** The deltaLink of the last page, or null when the collection offers no delta. */
  deltaLink: string | null;
}

export interface LevelChanges {
  records: DefinitionRecord[];
  deleted: string[];
  deltaLink: string;
}

export function levelPath(structureVersion: string, level: number): string {
  return `/activity-structure-versions/${encodeURIComponent(structureVersion)}/levels/${level}/activity-definitions`;
}

/**
 * Reads the definitions of one (structure version, level): a full listing (starting a delta when
 * the collection offers one) or the changes behind a deltaLink. Pages are walked until nextLink is
 * absent — an empty page is not the end.
 */
export class DefinitionFetcher {
  constructor(
    private readonly client: ProtimeClient,
    private readonly log: Logger,
    private readonly options: { useDelta: boolean; signal?: AbortSignal },
  ) {}

  async list(structureVersion: string, level: number, tryDelta: boolean): Promise<LevelListing> {
    const base = `${levelPath(structureVersion, level)}?expand=usage,restrictions`;
    if (tryDelta && this.options.useDelta) {
      try {
        return await this.#walk(`${base}&delta`, structureVersion, level);
      } catch (err) {
        // A collection without delta support answers 400 to `delta`: list it plainly from now on.
        if (!isPtgwError(err, 'SYNC_HTTP_STATUS') || err.status !== 400) throw err;
        this.log.info({ structureVersion, level }, 'activity definitions offer no delta here; using full listings compared by changeVersion');
      }
    }
    return this.#walk(base, structureVersion, level);
  }

  /** One definition by internal id, with its usages and restrictions (for a refresh after a write). */
  async one(structureVersion: string, level: number, id: string): Promise<DefinitionRecord> {
    const item = await this.client.getJson(`${levelPath(structureVersion, level)}/${encodeURIComponent(id)}?expand=usage,restrictions`, definitionSchema, {
      scope: SCOPES.definitionsRead,
      signal: this.options.signal,
    });
    return this.#record(item, structureVersion, level);
  }

  async changes(deltaLink: string, structureVersion: string, level: number): Promise<LevelChanges> {
    // The last change of an id wins: the cache writes records before deletions, so a definition
    // deleted and then added back (in one page or across pages) would otherwise be lost.
    const latest = new Map<string, DefinitionRecord | null>();
    let link: string = deltaLink;
    let last: string | null | undefined;
    for await (const page of walkPages(this.client, deltaLink, deltaSchema, { scope: SCOPES.definitionsRead, signal: this.options.signal })) {
      for (const change of page.value) {
        const id = String(change.data.id);
        latest.set(id, change.changeType === 'Delete' ? null : await this.#record(change.data, structureVersion, level));
      }
      if (page.nextLink) link = page.nextLink;
      last = page.deltaLink;
    }
    const records: DefinitionRecord[] = [];
    const deleted: string[] = [];
    for (const [id, record] of latest) {
      if (record === null) deleted.push(id);
      else records.push(record);
    }
    return { records, deleted, deltaLink: last ?? link };
  }

  async #walk(first: string, structureVersion: string, level: number): Promise<LevelListing> {
    const records: DefinitionRecord[] = [];
    let deltaLink: string | null = null;
    for await (const page of walkPages(this.client, first, listSchema, { scope: SCOPES.definitionsRead, signal: this.options.signal })) {
      for (const item of page.value) records.push(await this.#record(item, structureVersion, level));
      deltaLink = page.deltaLink ?? null;
    }
    return { records, deltaLink };
  }

  /** Uses the expanded usages and restrictions; fetches them one by one only when the answer left them out. */
  async #record(item: ApiDefinition, structureVersion: string, level: number): Promise<DefinitionRecord> {
    const path = `${levelPath(structureVersion, item.level ?? level)}/${encodeURIComponent(item.id)}`;
    const usages = item.usages ?? (await this.client.getJson(`${path}/usages`, usagesAnswer, { scope: SCOPES.definitionsRead, signal: this.options.signal })).usages;
    const restrictions =
      item.restrictions ?? (await this.client.getJson(`${path}/restrictions`, restrictionsAnswer, { scope: SCOPES.definitionsRead, signal: this.options.signal })).restrictions;
    return toDefinitionRecord(item, structureVersion, level, usages, restrictions);
  }
}
