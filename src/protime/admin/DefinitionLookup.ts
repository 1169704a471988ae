import type { Logger } from 'pino';
import type { ModelStore } from '../../cache/ModelStore.js';
import type { DefinitionRecord } from '../../cache/syncBatch.js';
import { isPtgwError, PtgwError } from '../../core/errors.js';
import type { Usage } from '../../core/model.js';
import { SCOPES } from '../../core/scopes.js';
import { referenceProblem } from '../../core/writeChecks.js';
import { DefinitionFetcher, levelPath } from '../fetchDefinitions.js';
import { fetchPeople } from '../fetchPeople.js';
import type { ApiResponse, ProtimeClient } from '../ProtimeClient.js';
import { PASS_THROUGH, unreachable, upstreamRefused, type AdminResult } from './adminResult.js';
import { isCustomKey, type DefinitionRef } from './DefinitionRef.js';

/** A definition as the write checks need it. */
export interface Existing {
  id: string;
  parentId: string | undefined;
}

export interface DefinitionLookupOptions {
  client: ProtimeClient;
  store: ModelStore;
  /** The admin module's logger. */
  log: Logger;
  /** Called after the cache changed, so the live index follows. */
  onChange: () => void;
  /** The sync in progress: its listings may predate a write, so the written definition is fetched again after it. */
  syncInFlight?: (() => Promise<unknown> | undefined) | undefined;
}

/**
 * A written definition as the cache and Protime know it: the admin checks ask the cache first and
 * Protime where the cache may lag behind myProtime, and a write's result is read back into the
 * cache and the index at once.
 */
export class DefinitionLookup {
  readonly #o: DefinitionLookupOptions;
  readonly #log: Logger;

  constructor(options: DefinitionLookupOptions) {
    this.#o = options;
    this.#log = options.log;
  }

  /**
   * The definition the reference names. The cache answers for internal ids, data entry codes and
   * external references; custom reference keys are not synced, so one read asks Protime. With
   * `confirmMissing` (the write needs the definition to exist), one the cache lacks is asked of
   * Protime too: it may have been created in myProtime since the last sync.
   */
  async existing(ref: DefinitionRef, path: string, confirmMissing: boolean): Promise<{ found: Existing | undefined } | { problem: AdminResult }> {
    const cached = this.#cached(ref);
    const custom = ref.referenceKey !== undefined && isCustomKey(ref.referenceKey);
    if (cached !== undefined || (!custom && !confirmMissing)) return { found: cached };
    let res: ApiResponse;
    try {
      res = await this.#o.client.request(path, { scope: SCOPES.definitionsRead, accept: PASS_THROUGH });
    } catch (err) {
      if (err instanceof PtgwError) return { problem: unreachable(err) };
      throw err;
    }
    if (res.status === 404) return { found: undefined };
    if (res.status >= 400) return { problem: upstreamRefused('GET', res) };
    const body = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as { id?: unknown; parent?: { id?: unknown } | null };
    if (typeof body.id !== 'string') {
      const err = new PtgwError('SYNC_MALFORMED_RESPONSE', `Protime answered the look-up of ${ref.referenceKey ?? 'the internal id'} "${ref.reference}" without the definition's id.`);
      return { problem: unreachable(err) };
    }
    return { found: { id: body.id, parentId: typeof body.parent?.id === 'string' ? body.parent.id : undefined } };
  }

  /** Whether Protime has a definition with internal id `id` on (structure version, level). */
  async upstreamHas(structureVersion: string, level: number, id: string): Promise<boolean | { problem: AdminResult }> {
    if (referenceProblem(id) !== undefined || !Number.isInteger(level) || level < 1) return false;
    try {
      const res = await this.#o.client.request(`${levelPath(structureVersion, level)}/${encodeURIComponent(id)}`, { scope: SCOPES.definitionsRead, accept: PASS_THROUGH });
      if (res.status < 300) return true;
      // A level Protime does not have holds no definition either.
      if (res.status === 404 || res.status === 400) return false;
      return { problem: upstreamRefused('GET', res) };
    } catch (err) {
      if (err instanceof PtgwError) return { problem: unreachable(err) };
      throw err;
    }
  }

  /** The definition with its usages as Protime has them now, written into the cache; usages undefined when Protime no longer has it. */
  async reread(ref: DefinitionRef, id: string): Promise<{ usages: Usage[] | undefined } | { problem: AdminResult }> {
    try {
      return { usages: [...(await this.#readIntoCache(ref, id)).usages] };
    } catch (err) {
      // Gone upstream too: the local refusal stands (the next sync removes it from the cache).
      if (isPtgwError(err, 'SYNC_HTTP_STATUS') && err.status === 404) return { usages: undefined };
      if (err instanceof PtgwError) return { problem: unreachable(err) };
      throw err;
    }
  }

  /**
   * Brings the written definition (and, when new groups or people appeared, the people) into the
   * cache. A sync running meanwhile may have listed the level before this write and would then
   * delete or not know the definition when it applies: once it is done, the definition is fetched again.
   */
  async refresh(ref: DefinitionRef, id: string | undefined): Promise<void> {
    const running = this.#o.syncInFlight?.();
    await this.#fetchIntoCache(ref, id);
    if (running !== undefined) {
      const again = (): Promise<void> => this.#fetchIntoCache(ref, id);
      void running.then(again, again);
    }
  }

  /** The definition as the cache has it, by internal id or a predefined key; undefined for a custom key. */
  #cached(ref: DefinitionRef): Existing | undefined {
    const { store } = this.#o;
    const { structureVersion: sv, level, reference } = ref;
    if (ref.referenceKey === undefined) return store.findDefinition(sv, level, { id: reference });
    if (ref.referenceKey === '@data-entry-code') return store.findDefinition(sv, level, { dataEntryCode: reference });
    if (ref.referenceKey === '@external-reference') return store.findDefinition(sv, level, { externalReference: reference });
    return undefined;
  }

  async #fetchIntoCache(ref: DefinitionRef, id: string | undefined): Promise<void> {
    if (id === undefined) return;
    try {
      await this.#readIntoCache(ref, id);
    } catch (err) {
      // The write itself succeeded; the next sync brings the change in.
      this.#log.warn({ err: (err as Error).message, id }, 'could not refresh the written definition; the next sync will');
    }
  }

  /** Reads one definition (and, when its usages name new groups or people, the people) into the cache and index. */
  async #readIntoCache(ref: DefinitionRef, id: string): Promise<DefinitionRecord> {
    const { store } = this.#o;
    const record = await new DefinitionFetcher(this.#o.client, this.#log, { useDelta: false }).one(ref.structureVersion, ref.level, id);
    const refs = store.usageReferences();
    const fresh = record.usages.some((u) => !refs[u.kind].has(u.reference));
    for (const u of record.usages) refs[u.kind].add(u.reference);
    const people = fresh ? await fetchPeople(this.#o.client, refs) : [];
    store.apply({ syncedAt: undefined, structureVersions: [], fullLevels: [], definitions: [record], deletedDefinitions: [], fullPeople: fresh, people, deletedPeople: [], cursors: [] });
    this.#o.onChange();
    return record;
  }
}
