import type { Logger } from 'pino';
import type { ModelStore } from '../../cache/ModelStore.js';
import type { DefinitionRecord } from '../../cache/syncBatch.js';
import { isPtgwError, PtgwError } from '../../core/errors.js';
import type { Usage, UsageKind } from '../../core/model.js';
import {
  checkDefinitionWrite,
  checkRestrictions,
  checkUsageAdd,
  checkUsageDelete,
  checkUsageUpdate,
  referenceProblem,
  type UsageKey,
  type WriteProblem,
} from '../../core/writeChecks.js';
import { DefinitionFetcher, levelPath } from '../fetchDefinitions.js';
import { fetchPeople } from '../fetchPeople.js';
import { clientErrorsExcept, type ApiResponse, type ProtimeClient } from '../ProtimeClient.js';
import { SCOPES } from '../../core/scopes.js';
import type { DefinitionBody, RestrictionsBody, UsageBody, UsageUpdateBody } from './adminSchemas.js';

/** Which definition a write is about: Protime's own path parameters and `externalReferences` key. */
export interface DefinitionRef {
  structureVersion: string;
  level: number;
  reference: string;
  /** `@data-entry-code`, `@external-reference`, or a custom key; undefined = internal id. */
  referenceKey: string | undefined;
  /**
   * The (collection, key) pairs of the integrator's whole `externalReferences` query, in its order,
   * forwarded as given (its people and terminals parts included); undefined = referenceKey alone.
   */
  externalReferences?: readonly ExternalReference[] | undefined;
}

/** One `(collection,key)` of an `externalReferences` query, e.g. ['people', '@badge-number']. */
export type ExternalReference = readonly [collection: string, key: string];

/** A definition as the write checks need it. */
interface Existing {
  id: string;
  parentId: string | undefined;
}

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

const KEY_RE = /^@?[A-Za-z0-9_.-]{1,64}$/;
/**
 * Client errors Protime explains in its body: handed back to the integrator as they came. Not 401:
 * that one is about the gateway's own token, which the client renews and retries once; should it
 * persist, the integrator gets a 502 (the gateway's credentials), not a 401 (as if theirs were wrong).
 */
const PASS_THROUGH = clientErrorsExcept(401);

/**
 * Protime could not be asked (network, its own 5xx, the gateway's credentials refused), or asked
 * the gateway to wait (a 429, of the token endpoint among others): the integrator waits as long.
 */
function unreachable(err: PtgwError): AdminResult {
  const body = { error: { code: err.code, message: err.message } };
  if (err.code === 'SYNC_RATE_LIMITED') return { ok: false, status: 429, body, retryAfter: err.retryAfterSeconds === undefined ? undefined : String(Math.ceil(err.retryAfterSeconds)) };
  return { ok: false, status: err.status !== undefined && err.status >= 500 ? err.status : 502, body };
}

function upstreamRefused(method: string, res: ApiResponse): AdminResult {
  const retryAfter = res.status === 429 ? res.headers['retry-after'] : undefined;
  return {
    ok: false,
    status: res.status,
    body: { error: { code: 'UPSTREAM_REFUSED', message: `Protime refused the ${method}: ${upstreamText(res.body)}`, upstream: res.body } },
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
  };
}

export interface AdminServiceOptions {
  client: ProtimeClient;
  store: ModelStore;
  logger: Logger;
  /** Called after the cache changed, so the live index follows. */
  onChange: () => void;
  manualCodes: boolean;
  levelsOf: (structureVersion: string) => number | undefined;
  /** The sync in progress: its listings may predate this write, so the written definition is fetched again after it. */
  syncInFlight?: () => Promise<unknown> | undefined;
}

/**
 * The write endpoints of seeds 000–002, done safely: validated against the cache first (upstream
 * not called when a documented error can be seen locally), forwarded to Protime, upstream errors
 * passed through, and the changed definition refreshed into the cache and index at once.
 */
export class AdminService {
  readonly #o: AdminServiceOptions;
  readonly #log: Logger;

  constructor(options: AdminServiceOptions) {
    this.#o = options;
    this.#log = options.logger.child({ module: 'admin' });
  }

  async putDefinition(ref: DefinitionRef, body: DefinitionBody): Promise<AdminResult> {
    const checked = await this.#checkDefinition(ref, body);
    if ('problem' in checked) return checked.problem;
    return this.#forward(ref, 'PUT', checked.path, body, checked.existing?.id);
  }

  /** The local checks of putDefinition alone (a dry run): the refusal it would give, or undefined. */
  async checkDefinition(ref: DefinitionRef, body: DefinitionBody): Promise<AdminResult | undefined> {
    const checked = await this.#checkDefinition(ref, body);
    return 'problem' in checked ? checked.problem : undefined;
  }

  async #checkDefinition(ref: DefinitionRef, body: DefinitionBody): Promise<{ problem: AdminResult } | { path: string; existing: Existing | undefined }> {
    const path = this.#path(ref);
    if ('problem' in path) return path;
    // By internal id a PUT only updates: a definition the cache lacks must be confirmed missing upstream.
    const looked = await this.#existing(ref, path.value, ref.referenceKey === undefined);
    if ('problem' in looked) return looked;
    const existing = looked.found;
    const { store } = this.#o;
    const problems = checkDefinitionWrite(
      {
        name: body.name?.default,
        parentId: body.parent?.id,
        dataEntryCode: body.dataEntryCode ?? undefined,
        externalReference: body.externalReference ?? undefined,
        activeFrom: body.activeFrom ?? undefined,
        activeUntil: body.activeUntil ?? undefined,
      },
      {
        level: ref.level,
        existing,
        byInternalId: ref.referenceKey === undefined,
        codeOwner: (code) => store.findDefinition(ref.structureVersion, ref.level, { dataEntryCode: code })?.id,
        externalReferenceOwner: (r) => store.findDefinition(ref.structureVersion, ref.level, { externalReference: r })?.id,
        resolveParent: (parent) => this.#resolveParent(ref, parent),
        manualCodes: this.#o.manualCodes,
      },
    );
    if (problems.length > 0) return { problem: refused(problems) };
    return { path: path.value, existing };
  }

  /**
   * `parent.id` as Protime reads it (seed 002: "predefined or custom external references for the
   * parent"): an internal id, else a reference of the request's own key, else an external reference.
   */
  #resolveParent(ref: DefinitionRef, parent: string): string | undefined | 'unknown' {
    const { store } = this.#o;
    const above = ref.level - 1;
    const found =
      store.findDefinition(ref.structureVersion, above, { id: parent }) ??
      (ref.referenceKey === '@data-entry-code' ? store.findDefinition(ref.structureVersion, above, { dataEntryCode: parent }) : undefined) ??
      store.findDefinition(ref.structureVersion, above, { externalReference: parent });
    if (found !== undefined) return found.id;
    // Custom references are not synced, so one may name a parent the cache has, unless the text is
    // the internal id of a definition on another level: that one names a definition, not on the level above.
    const customKey = ref.referenceKey !== undefined && isCustomKey(ref.referenceKey);
    const levels = Array.from({ length: this.#o.levelsOf(ref.structureVersion) ?? 0 }, (_, i) => i + 1);
    const elsewhere = levels.some((level) => store.findDefinition(ref.structureVersion, level, { id: parent }) !== undefined);
    return customKey && !elsewhere ? 'unknown' : undefined;
  }

  /** The definition as Protime has it now, as a PUT body (for `--merge`); undefined when it does not exist. */
  async currentDefinition(ref: DefinitionRef): Promise<Record<string, unknown> | undefined> {
    const path = this.#path(ref);
    if ('problem' in path) return undefined;
    const res = await this.#o.client.request(path.value, { scope: SCOPES.definitionsRead, accept: [404] });
    if (res.status === 404 || res.body === null || typeof res.body !== 'object') return undefined;
    const { name, parent, shortCode, dataEntryCode, externalReference, info, activeFrom, activeUntil } = res.body as Record<string, unknown>;
    const body: Record<string, unknown> = { name, shortCode, dataEntryCode, externalReference, info, activeFrom, activeUntil };
    if (parent !== null && parent !== undefined) body.parent = parent;
    for (const key of Object.keys(body)) if (body[key] === null || body[key] === undefined) delete body[key];
    return body;
  }

  async listUsages(ref: DefinitionRef): Promise<AdminResult> {
    const path = this.#path(ref);
    if ('problem' in path) return path.problem;
    return this.#forward(ref, 'GET', path.value, undefined, undefined, '/usages');
  }

  async addUsage(ref: DefinitionRef, body: UsageBody): Promise<AdminResult> {
    return this.#usageWrite(ref, 'POST', body, (key, existing) => checkUsageAdd(key, body.from, body.until ?? undefined, existing));
  }

  async updateUsage(ref: DefinitionRef, body: UsageUpdateBody): Promise<AdminResult> {
    return this.#usageWrite(ref, 'PUT', body, (key, existing) =>
      checkUsageUpdate(key, { from: body.originalFrom, until: body.originalUntil ?? undefined }, { from: body.updatedFrom, until: body.updatedUntil ?? undefined }, existing),
    );
  }

  async deleteUsage(ref: DefinitionRef, body: UsageBody): Promise<AdminResult> {
    return this.#usageWrite(ref, 'DELETE', body, (key, existing) => checkUsageDelete(key, body.from, body.until ?? undefined, existing));
  }

  async getRestrictions(ref: DefinitionRef): Promise<AdminResult> {
    const path = this.#path(ref);
    if ('problem' in path) return path.problem;
    return this.#forward(ref, 'GET', path.value, undefined, undefined, '/restrictions');
  }

  async putRestrictions(ref: DefinitionRef, body: RestrictionsBody): Promise<AdminResult> {
    const path = this.#path(ref);
    if ('problem' in path) return path.problem;
    const looked = await this.#existing(ref, path.value, true);
    if ('problem' in looked) return looked.problem;
    const existing = looked.found;
    if (existing === undefined) return refused([{ field: 'activityDefinitionReference', status: 404, message: 'No such definition on this level.' }]);
    const levels = this.#o.levelsOf(ref.structureVersion) ?? Math.max(ref.level, ...body.map((r) => r.level));
    // Ids the cache lacks may name definitions created in myProtime since the last sync: Protime is asked about those.
    const uncached = new Set<string>();
    const inCache = (id: string, level: number): boolean => {
      const found = this.#o.store.findDefinition(ref.structureVersion, level, { id }) !== undefined;
      if (!found) uncached.add(`${level}\u0000${id}`);
      return found;
    };
    if (checkRestrictions(body, levels, inCache).length > 0) {
      const upstream = new Set<string>();
      for (const key of uncached) {
        const [level, id] = key.split('\u0000') as [string, string];
        const known = await this.#upstreamHas(ref.structureVersion, Number(level), id);
        if (typeof known !== 'boolean') return known.problem;
        if (known) upstream.add(key);
      }
      const problems = checkRestrictions(body, levels, (id, level) => !uncached.has(`${level}\u0000${id}`) || upstream.has(`${level}\u0000${id}`));
      if (problems.length > 0) return refused(problems);
    }
    return this.#forward(ref, 'PUT', path.value, body, existing?.id, '/restrictions');
  }

  async #usageWrite(ref: DefinitionRef, method: 'POST' | 'PUT' | 'DELETE', body: { activityUsageKind: UsageKind; usageReference: { id: number } }, check: (key: UsageKey, existing: Usage[]) => WriteProblem[]): Promise<AdminResult> {
    const path = this.#path(ref);
    if ('problem' in path) return path.problem;
    const looked = await this.#existing(ref, path.value, true);
    if ('problem' in looked) return looked.problem;
    const existing = looked.found;
    if (existing === undefined) return refused([{ field: 'activityDefinitionReference', status: 404, message: 'No such definition on this level.' }]);
    // A person named by badge or employee number (a people key in the query) is not comparable
    // with the cache's internal person ids: Protime alone checks that usage.
    const byPersonReference = body.activityUsageKind === 'Person' && externalPairs(ref).some(([collection]) => collection === 'people');
    if (!byPersonReference) {
      const key = { kind: body.activityUsageKind, reference: body.usageReference.id };
      const problems = check(key, this.#o.store.usagesOf(existing.id));
      if (problems.length > 0) {
        // Bad dates are wrong whatever usages there are (the checks against none, a "not found" aside).
        const ownProblems = check(key, []).filter((p) => p.status !== 404);
        if (ownProblems.length > 0) return refused(ownProblems);
        // A "not found" or an overlap may only be the cache lagging: a usage edit in myProtime need
        // not raise the definition's changeVersion, so only a full sync would bring it. Protime's
        // usages of the definition decide, and the cache keeps what was read.
        const fresh = await this.#reread(ref, existing.id);
        if ('problem' in fresh) return fresh.problem;
        const still = fresh.usages === undefined ? problems : check(key, fresh.usages);
        if (still.length > 0) return refused(still);
      }
    }
    return this.#forward(ref, method, path.value, body, existing?.id, '/usages');
  }

  /** The definition with its usages as Protime has them now, written into the cache; usages undefined when Protime no longer has it. */
  async #reread(ref: DefinitionRef, id: string): Promise<{ usages: Usage[] | undefined } | { problem: AdminResult }> {
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
   * The definition the reference names. The cache answers for internal ids, data entry codes and
   * external references; custom reference keys are not synced, so one read asks Protime. With
   * `confirmMissing` (the write needs the definition to exist), one the cache lacks is asked of
   * Protime too: it may have been created in myProtime since the last sync.
   */
  async #existing(ref: DefinitionRef, path: string, confirmMissing: boolean): Promise<{ found: Existing | undefined } | { problem: AdminResult }> {
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
  async #upstreamHas(structureVersion: string, level: number, id: string): Promise<boolean | { problem: AdminResult }> {
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

  /** The definition as the cache has it, by internal id or a predefined key; undefined for a custom key. */
  #cached(ref: DefinitionRef): Existing | undefined {
    const { store } = this.#o;
    const { structureVersion: sv, level, reference } = ref;
    if (ref.referenceKey === undefined) return store.findDefinition(sv, level, { id: reference });
    if (ref.referenceKey === '@data-entry-code') return store.findDefinition(sv, level, { dataEntryCode: reference });
    if (ref.referenceKey === '@external-reference') return store.findDefinition(sv, level, { externalReference: reference });
    return undefined;
  }

  #path(ref: DefinitionRef): { value: string } | { problem: AdminResult } {
    const p = referenceProblem(ref.reference);
    if (p !== undefined) return { problem: refused([p]) };
    // Every key goes into the URL unescaped, as Protime spells them: only plain ones are let through.
    const pairs = externalPairs(ref);
    const badKey = pairs.find(([collection, key]) => !/^[a-z-]+$/.test(collection) || !KEY_RE.test(key));
    if (badKey !== undefined) {
      return { problem: refused([{ field: 'externalReferences', status: 400, message: `"${badKey[1]}" is not an external reference key (e.g. @data-entry-code, @external-reference or CustomActivityReference).` }]) };
    }
    const query = pairs.length === 0 ? '' : `?externalReferences=${pairs.map(([collection, key]) => `(${collection},${key})`).join('')}`;
    return { value: `${levelPath(ref.structureVersion, ref.level)}/${encodeURIComponent(ref.reference)}${query}` };
  }

  async #forward(ref: DefinitionRef, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body: unknown, knownId: string | undefined, suffix = ''): Promise<AdminResult> {
    const q = path.indexOf('?');
    const target = suffix === '' ? path : q < 0 ? `${path}${suffix}` : `${path.slice(0, q)}${suffix}${path.slice(q)}`;
    let res: ApiResponse;
    try {
      res = await this.#o.client.request(target, { scope: method === 'GET' ? SCOPES.definitionsRead : SCOPES.definitionsWrite, method, body, accept: PASS_THROUGH, retry: method === 'GET' });
    } catch (err) {
      if (err instanceof PtgwError) return unreachable(err);
      throw err;
    }
    if (res.status >= 400) return upstreamRefused(method, res);
    const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
    // Seed 002: a created definition's id "is available in the location header"; the body may be empty.
    const id = knownId ?? idOf(res.body) ?? (suffix === '' ? idInLocation(location) : undefined);
    if (method !== 'GET') {
      this.#log.info({ method, level: ref.level, reference: ref.reference, status: res.status }, 'admin write done');
      await this.#refresh(ref, id);
    }
    return { ok: true, status: res.status, body: res.body, location, id };
  }

  /**
   * Brings the written definition (and, when new groups or people appeared, the people) into the
   * cache. A sync running meanwhile may have listed the level before this write and would then
   * delete or not know the definition when it applies: once it is done, the definition is fetched again.
   */
  async #refresh(ref: DefinitionRef, id: string | undefined): Promise<void> {
    const running = this.#o.syncInFlight?.();
    await this.#fetchIntoCache(ref, id);
    if (running !== undefined) {
      const again = (): Promise<void> => this.#fetchIntoCache(ref, id);
      void running.then(again, again);
    }
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

/** A reference key of the integrator's own (not synced), as opposed to the two Protime predefines. */
function isCustomKey(key: string): boolean {
  return key !== '@data-entry-code' && key !== '@external-reference';
}

/** The (collection, key) pairs of the query, in the integrator's order; from referenceKey alone when no query was given. */
function externalPairs(ref: DefinitionRef): readonly ExternalReference[] {
  return ref.externalReferences ?? (ref.referenceKey === undefined ? [] : [['activity-definitions', ref.referenceKey]]);
}

function refused(problems: WriteProblem[]): AdminResult {
  const first = problems[0] as WriteProblem;
  const message = problems.map((p) => p.message).join(' ');
  return { ok: false, status: first.status, body: { error: { code: first.status === 404 ? 'NOT_FOUND' : 'INVALID', message, field: first.field } } };
}

function idOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as { id?: unknown; activityDefinition?: { id?: unknown } };
  if (typeof b.id === 'string') return b.id;
  return typeof b.activityDefinition?.id === 'string' ? b.activityDefinition.id : undefined;
}

/** The last segment of a Location `…/activity-definitions/{id}` (a URL or a path). */
function idInLocation(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  try {
    const m = /\/activity-definitions\/([^/]+)\/?$/.exec(new URL(location, 'http://relative.invalid').pathname);
    return m?.[1] === undefined ? undefined : decodeURIComponent(m[1]);
  } catch {
    // Not a URL, or a broken escape in it: no id to be had.
    return undefined;
  }
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
