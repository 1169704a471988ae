import type { Logger } from 'pino';
import type { ModelStore } from '../../cache/ModelStore.js';
import { PtgwError } from '../../core/errors.js';
import type { Usage, UsageKind } from '../../core/model.js';
import { SCOPES } from '../../core/scopes.js';
import { checkDefinitionWrite, checkRestrictions, checkUsageAdd, checkUsageDelete, checkUsageUpdate, type UsageKey, type WriteProblem } from '../../core/writeChecks.js';
import type { ApiResponse, ProtimeClient } from '../ProtimeClient.js';
import { PASS_THROUGH, refused, unreachable, upstreamRefused, type AdminResult } from './adminResult.js';
import type { DefinitionBody, RestrictionsBody, UsageBody, UsageUpdateBody } from './adminSchemas.js';
import { DefinitionLookup, type Existing } from './DefinitionLookup.js';
import { definitionPath, externalPairs, isCustomKey, type DefinitionRef } from './DefinitionRef.js';

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
  readonly #lookup: DefinitionLookup;

  constructor(options: AdminServiceOptions) {
    this.#o = options;
    this.#log = options.logger.child({ module: 'admin' });
    this.#lookup = new DefinitionLookup({ client: options.client, store: options.store, log: this.#log, onChange: options.onChange, syncInFlight: options.syncInFlight });
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
    const path = definitionPath(ref);
    if ('problem' in path) return path;
    // By internal id a PUT only updates: a definition the cache lacks must be confirmed missing upstream.
    const looked = await this.#lookup.existing(ref, path.value, ref.referenceKey === undefined);
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
    const path = definitionPath(ref);
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
    const path = definitionPath(ref);
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
    const path = definitionPath(ref);
    if ('problem' in path) return path.problem;
    return this.#forward(ref, 'GET', path.value, undefined, undefined, '/restrictions');
  }

  async putRestrictions(ref: DefinitionRef, body: RestrictionsBody): Promise<AdminResult> {
    const path = definitionPath(ref);
    if ('problem' in path) return path.problem;
    const looked = await this.#lookup.existing(ref, path.value, true);
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
        const known = await this.#lookup.upstreamHas(ref.structureVersion, Number(level), id);
        if (typeof known !== 'boolean') return known.problem;
        if (known) upstream.add(key);
      }
      const problems = checkRestrictions(body, levels, (id, level) => !uncached.has(`${level}\u0000${id}`) || upstream.has(`${level}\u0000${id}`));
      if (problems.length > 0) return refused(problems);
    }
    return this.#forward(ref, 'PUT', path.value, body, existing?.id, '/restrictions');
  }

  async #usageWrite(ref: DefinitionRef, method: 'POST' | 'PUT' | 'DELETE', body: { activityUsageKind: UsageKind; usageReference: { id: number } }, check: (key: UsageKey, existing: Usage[]) => WriteProblem[]): Promise<AdminResult> {
    const path = definitionPath(ref);
    if ('problem' in path) return path.problem;
    const looked = await this.#lookup.existing(ref, path.value, true);
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
        const fresh = await this.#lookup.reread(ref, existing.id);
        if ('problem' in fresh) return fresh.problem;
        const still = fresh.usages === undefined ? problems : check(key, fresh.usages);
        if (still.length > 0) return refused(still);
      }
    }
    return this.#forward(ref, method, path.value, body, existing?.id, '/usages');
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
      await this.#lookup.refresh(ref, id);
    }
    return { ok: true, status: res.status, body: res.body, location, id };
  }

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

