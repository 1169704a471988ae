import type { Database, Statement } from 'better-sqlite3';
import { isOlderVersion } from '../core/changeVersion.js';
import { CodeIndex } from '../core/codeIndex.js';
import { formatOptionalDay, OPEN_END, OPEN_START } from '../core/day.js';
import type { Definition, DefinitionChange, Person, Restriction, Snapshot, StructureVersion, Usage, UsageKind } from '../core/model.js';
import { dayOr, definitionRow, toDefinition, usageRow, type Row } from './definitionRows.js';
import { ModelMirror } from './ModelMirror.js';
import { storedAlike } from './storedAlike.js';
import type { ApplyResult, DefinitionRecord, SyncBatch } from './syncBatch.js';

/** More changes than this share of the index's definitions (or of this floor, for a small one) rebuild it instead of updating it. */
const REBUILD_SHARE = 0.25;
const REBUILD_FLOOR = 1000;

/** ModelChanges as apply() gathers them, one batch after another. */
interface Changes {
  syncedAt: number | undefined;
  structureVersions: StructureVersion[] | undefined;
  definitions: DefinitionChange[];
  people: Person[] | undefined;
}

export type UsageReferences = Record<UsageKind, Set<number>>;

/**
 * The synced model in SQLite: read whole into a Snapshot at start-up, written one SyncBatch
 * (and its cursors) per transaction. Dates are stored as ISO text so that an operator reading
 * the file with sqlite3 sees what Protime said; open ends are NULL.
 */
export class ModelStore {
  readonly #db: Database;
  readonly #upsertDefinition: Statement;
  readonly #deleteDefinition: Statement;
  readonly #deleteUsages: Statement;
  readonly #insertUsage: Statement;
  readonly #deleteRestrictions: Statement;
  readonly #insertRestriction: Statement;
  readonly #upsertPerson: Statement;
  readonly #deletePerson: Statement;
  readonly #deleteMemberships: Statement;
  readonly #insertMembership: Statement;
  readonly #upsertCursor: Statement;
  readonly #setMeta: Statement;
  #mirror: ModelMirror | undefined;
  /** The generation the mirror holds. */
  #generation = 0;
  #index: CodeIndex | undefined;
  /** What apply() changed since the index was last brought up to date; 'rebuild' when the mirror was read afresh. */
  #changes: Changes | 'rebuild' | undefined;

  constructor(db: Database) {
    this.#db = db;
    // The WHERE clauses drop a received version older than the stored one (out-of-order delivery).
    db.function('ptgw_is_older_version', { deterministic: true }, (received, stored) => (isOlderVersion(String(received), String(stored)) ? 1 : 0));
    this.#upsertDefinition = db.prepare(`
      INSERT INTO definitions (id, structure_version, level, parent_id, data_entry_code, short_code, external_reference, name, translations, info, active_from, active_until, change_version)
      VALUES (@id, @structureVersion, @level, @parentId, @dataEntryCode, @shortCode, @externalReference, @name, @translations, @info, @activeFrom, @activeUntil, @changeVersion)
      ON CONFLICT (id) DO UPDATE SET
        structure_version = excluded.structure_version, level = excluded.level, parent_id = excluded.parent_id,
        data_entry_code = excluded.data_entry_code, short_code = excluded.short_code, external_reference = excluded.external_reference,
        name = excluded.name, translations = excluded.translations, info = excluded.info,
        active_from = excluded.active_from, active_until = excluded.active_until, change_version = excluded.change_version
      WHERE excluded.change_version IS NULL OR definitions.change_version IS NULL OR NOT ptgw_is_older_version(excluded.change_version, definitions.change_version)`);
    this.#deleteDefinition = db.prepare('DELETE FROM definitions WHERE id = ?');
    this.#deleteUsages = db.prepare('DELETE FROM usages WHERE definition_id = ?');
    this.#insertUsage = db.prepare('INSERT INTO usages (definition_id, kind, reference, from_date, until_date) VALUES (?, ?, ?, ?, ?)');
    this.#deleteRestrictions = db.prepare('DELETE FROM restrictions WHERE definition_id = ?');
    this.#insertRestriction = db.prepare('INSERT INTO restrictions (definition_id, level, allowed) VALUES (?, ?, ?)');
    this.#upsertPerson = db.prepare(`
      INSERT INTO people (id, badges, in_service, out_of_service, change_version) VALUES (@id, @badges, @inService, @outOfService, @changeVersion)
      ON CONFLICT (id) DO UPDATE SET badges = excluded.badges, in_service = excluded.in_service, out_of_service = excluded.out_of_service, change_version = excluded.change_version
      WHERE excluded.change_version IS NULL OR people.change_version IS NULL OR NOT ptgw_is_older_version(excluded.change_version, people.change_version)`);
    this.#deletePerson = db.prepare('DELETE FROM people WHERE id = ?');
    this.#deleteMemberships = db.prepare('DELETE FROM memberships WHERE person_id = ?');
    this.#insertMembership = db.prepare('INSERT OR IGNORE INTO memberships (person_id, kind, reference) VALUES (?, ?, ?)');
    this.#setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.#upsertCursor = db.prepare(
      'INSERT INTO sync_cursors (collection, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (collection) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
  }

  /** The whole model, ready for CodeIndex.build, read from the file. */
  loadSnapshot(): Snapshot {
    // One read transaction, so that a sync another connection commits meanwhile is seen whole or not at all.
    return this.#db.transaction(() => this.#readSnapshot())();
  }

  #readSnapshot(): Snapshot {
    const db = this.#db;
    const syncedAtRow = db.prepare("SELECT value FROM meta WHERE key = 'syncedAt'").get() as Row | undefined;
    const definitions: Definition[] = [];
    for (const r of db.prepare('SELECT * FROM definitions').iterate() as IterableIterator<Row>) definitions.push(toDefinition(r));
    const usages: Usage[] = [];
    for (const r of db.prepare('SELECT definition_id, kind, reference, from_date, until_date FROM usages').raw().iterate() as IterableIterator<unknown[]>) {
      usages.push({ definitionId: r[0] as string, kind: r[1] as UsageKind, reference: r[2] as number, from: dayOr(r[3], OPEN_START), until: dayOr(r[4], OPEN_END) });
    }
    const restrictions: Restriction[] = (db.prepare('SELECT definition_id, level, allowed FROM restrictions').raw().all() as unknown[][]).map((r) => ({
      definitionId: r[0] as string,
      level: r[1] as number,
      allowed: JSON.parse(r[2] as string) as string[],
    }));
    return {
      syncedAt: syncedAtRow === undefined ? undefined : Number(syncedAtRow.value),
      structureVersions: this.#structureVersions(),
      definitions,
      usages,
      restrictions,
      people: this.#people(),
    };
  }

  #structureVersions(): StructureVersion[] {
    return (this.#db.prepare('SELECT id, levels FROM structure_versions').all() as Row[]).map((r) => ({ id: r.id as string, levels: r.levels as number }));
  }

  #people(): Person[] {
    const groups = new Map<number, number[]>();
    const circles = new Map<number, number[]>();
    for (const r of this.#db.prepare('SELECT person_id, kind, reference FROM memberships').raw().iterate() as IterableIterator<unknown[]>) {
      const target = r[1] === 'Group' ? groups : circles;
      const list = target.get(r[0] as number);
      if (list === undefined) target.set(r[0] as number, [r[2] as number]);
      else list.push(r[2] as number);
    }
    const people: Person[] = [];
    for (const r of this.#db.prepare('SELECT id, badges, in_service, out_of_service, change_version FROM people').raw().iterate() as IterableIterator<unknown[]>) {
      const id = r[0] as number;
      people.push({
        id,
        badges: JSON.parse(r[1] as string) as string[],
        groups: groups.get(id) ?? [],
        circles: circles.get(id) ?? [],
        inService: dayOr(r[2], OPEN_START),
        outOfService: dayOr(r[3], OPEN_END),
        changeVersion: (r[4] as string | null) ?? undefined,
      });
    }
    return people;
  }

  /**
   * The model for building an index: read from SQLite the first time, then kept up to date in
   * memory by apply(), which re-reads only the rows a batch touched.
   */
  snapshot(): Snapshot {
    if (this.#mirror === undefined) {
      // One read transaction: the generation is that of the rows read.
      this.#db.transaction(() => {
        this.#generation = this.#storedGeneration();
        this.#mirror = new ModelMirror(this.loadSnapshot());
      })();
    }
    return (this.#mirror as ModelMirror).snapshot();
  }

  /**
   * The index decisions are made from: built from the model the first time, then updated in place
   * with what apply() changed — O(changes), not O(model) — unless another process changed the file
   * meanwhile, which builds it afresh.
   */
  index(): CodeIndex {
    const changes = this.#changes;
    this.#changes = undefined;
    // A sync that replaced much of the model (the first one fills an empty cache) builds afresh: as fast, and it shares repeated names.
    const most = changes !== undefined && changes !== 'rebuild' && changes.definitions.length > REBUILD_SHARE * Math.max(REBUILD_FLOOR, this.#index?.stats.definitions ?? 0);
    if (this.#index === undefined || changes === 'rebuild' || most) this.#index = CodeIndex.build(this.snapshot());
    else if (changes !== undefined) this.#index.apply(changes);
    return this.#index;
  }

  /** Raised by every apply, from any process: `ptgw sync` or an admin command beside the daemon changes the file too. */
  #storedGeneration(): number {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = 'generation'").get() as Row | undefined;
    return row === undefined ? 0 : Number(row.value);
  }

  cursor(collection: string): string | null | undefined {
    const row = this.#db.prepare('SELECT value FROM sync_cursors WHERE collection = ?').get(collection) as Row | undefined;
    return row === undefined ? undefined : (row.value as string | null);
  }

  /** The stored changeVersion of every definition of a level, to skip unchanged ones in a full listing. */
  changeVersions(structureVersion: string, level: number): Map<string, string | null> {
    const rows = this.#db.prepare('SELECT id, change_version FROM definitions WHERE structure_version = ? AND level = ?').raw().all(structureVersion, level) as [string, string | null][];
    return new Map(rows);
  }

  /** A definition of (structure version, level) by internal id, data entry code or external reference field. */
  findDefinition(structureVersion: string, level: number, by: { id?: string; dataEntryCode?: string; externalReference?: string }): { id: string; parentId: string | undefined } | undefined {
    const [column, value] =
      by.id !== undefined ? ['id', by.id] : by.dataEntryCode !== undefined ? ['data_entry_code', by.dataEntryCode] : ['external_reference', by.externalReference];
    const row = this.#db.prepare(`SELECT id, parent_id FROM definitions WHERE structure_version = ? AND level = ? AND ${column} = ?`).get(structureVersion, level, value) as Row | undefined;
    return row === undefined ? undefined : { id: row.id as string, parentId: (row.parent_id as string | null) ?? undefined };
  }

  /** The whole stored definition, found like findDefinition. */
  definition(structureVersion: string, level: number, by: { id?: string; externalReference?: string }): Definition | undefined {
    const [column, value] = by.id !== undefined ? ['id', by.id] : ['external_reference', by.externalReference];
    const row = this.#db.prepare(`SELECT * FROM definitions WHERE structure_version = ? AND level = ? AND ${column} = ?`).get(structureVersion, level, value) as Row | undefined;
    return row === undefined ? undefined : toDefinition(row);
  }

  usagesOf(definitionId: string): Usage[] {
    return (this.#db.prepare('SELECT kind, reference, from_date, until_date FROM usages WHERE definition_id = ?').raw().all(definitionId) as unknown[][]).map((r) => ({
      definitionId,
      kind: r[0] as UsageKind,
      reference: r[1] as number,
      from: dayOr(r[2], OPEN_START),
      until: dayOr(r[3], OPEN_END),
    }));
  }

  /** Every (kind, reference) some usage names (of the given structure versions only, when given): whose people the gateway must know. */
  usageReferences(structureVersions?: readonly string[]): UsageReferences {
    // Counted in memory while the mirror is the file's state: reading every usage held up the terminals for 70 ms a sync at 100,000 definitions.
    if (structureVersions === undefined && this.#mirror !== undefined && this.#storedGeneration() === this.#generation) return this.#mirror.references();
    const refs: UsageReferences = { Person: new Set(), Group: new Set(), Circle: new Set() };
    const rows =
      structureVersions === undefined
        ? this.#db.prepare('SELECT DISTINCT kind, reference FROM usages').raw().iterate()
        : this.#db
            .prepare(`SELECT DISTINCT u.kind, u.reference FROM usages u JOIN definitions d ON d.id = u.definition_id WHERE d.structure_version IN (${structureVersions.map(() => '?').join(', ')})`)
            .raw()
            .iterate(...structureVersions);
    for (const [kind, ref] of rows as IterableIterator<[UsageKind, number]>) refs[kind].add(ref);
    return refs;
  }

  apply(batch: SyncBatch): ApplyResult {
    const result: ApplyResult = { definitionsWritten: 0, definitionsUnchanged: 0, definitionsIgnoredAsOlder: 0, definitionsDeleted: 0, peopleWritten: 0, peopleDeleted: 0 };
    const mirror = this.#mirror;
    // Stored on a level listed in full, and not in that listing: deleted upstream.
    const unlisted = mirror?.unlisted(batch.fullLevels) ?? [];
    // The definitions whose stored state may have changed: the mirror and index re-read only these.
    const touched = new Set<string>(unlisted);
    // IMMEDIATE: the write lock first. A transaction that read before it wrote would fail at once
    // (SQLITE_BUSY) had the outbox writer's connection committed in between.
    let before = this.#generation;
    this.#db.transaction(() => {
      before = this.#storedGeneration();
      this.#setMeta.run('generation', String(before + 1));
      // What the cache holds, known without asking the file only from a mirror of this very
      // generation: another process may have written since it was read.
      const known = mirror !== undefined && before === this.#generation ? mirror : undefined;
      for (const sv of batch.structureVersions) {
        this.#db.prepare('INSERT INTO structure_versions (id, levels) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET levels = excluded.levels').run(sv.id, sv.levels);
      }
      if (known !== undefined) for (const id of unlisted) result.definitionsDeleted += this.#deleteDefinition.run(id).changes;
      else for (const level of batch.fullLevels) result.definitionsDeleted += this.#deleteMissing(level.structureVersion, level.level, level.listedIds);
      // The hourly full sync lists every definition again: those stored alike are left as they are,
      // instead of a million rewrites (and a rebuilt index) while the terminals wait.
      for (const record of batch.definitions) {
        const stored = known?.stored(record.definition.id);
        if (stored !== undefined && storedAlike(record, stored)) {
          result.definitionsUnchanged++;
          continue;
        }
        touched.add(record.definition.id);
        if (this.#writeDefinition(record)) result.definitionsWritten++;
        else result.definitionsIgnoredAsOlder++;
      }
      for (const id of batch.deletedDefinitions) {
        result.definitionsDeleted += this.#deleteDefinition.run(id).changes;
        touched.add(id);
      }
      if (batch.fullPeople) {
        const keep = new Set(batch.people.map((p) => p.id));
        for (const [id] of this.#db.prepare('SELECT id FROM people').raw().all() as [number][]) {
          if (!keep.has(id)) result.peopleDeleted += this.#deletePerson.run(id).changes;
        }
      }
      for (const p of batch.people) if (this.#writePerson(p)) result.peopleWritten++;
      for (const id of batch.deletedPeople) result.peopleDeleted += this.#deletePerson.run(id).changes;
      for (const c of batch.cursors) this.#upsertCursor.run(c.collection, c.value, batch.syncedAt ?? Date.now());
      // A refresh after an admin write is not a sync: it leaves the cache age alone.
      if (batch.syncedAt !== undefined) {
        this.#setMeta.run('syncedAt', String(batch.syncedAt));
      }
    }).immediate();
    const changedElsewhere = before !== this.#generation;
    this.#generation = before + 1;
    // Another process committed since the mirror was read: the touched rows are not all that changed.
    if (mirror !== undefined && changedElsewhere) {
      this.#mirror = new ModelMirror(this.loadSnapshot());
      if (this.#index !== undefined) this.#changes = 'rebuild';
    } else if (mirror !== undefined) this.#refreshMirror(mirror, batch, touched);
    return result;
  }

  /** Brings the mirror in line with what the transaction committed, reading back only the touched rows; notes the same for the index. */
  #refreshMirror(mirror: ModelMirror, batch: SyncBatch, touched: ReadonlySet<string>): void {
    // Only an index that exists is kept up to date: `ptgw sync` never builds one.
    let changes: Changes | undefined;
    if (this.#index !== undefined && this.#changes !== 'rebuild') {
      changes = this.#changes ?? { syncedAt: undefined, structureVersions: undefined, definitions: [], people: undefined };
      this.#changes = changes;
    }
    const byId = this.#db.prepare('SELECT * FROM definitions WHERE id = ?');
    for (const id of touched) {
      const row = byId.get(id) as Row | undefined;
      const change: DefinitionChange = { id, definition: row === undefined ? undefined : toDefinition(row), usages: this.usagesOf(id), restrictions: this.#restrictionsOf(id) };
      mirror.setDefinition(change);
      changes?.definitions.push(change);
    }
    if (batch.structureVersions.length > 0) {
      mirror.structureVersions = this.#structureVersions();
      if (changes !== undefined) changes.structureVersions = mirror.structureVersions;
    }
    if (batch.syncedAt !== undefined) {
      mirror.syncedAt = batch.syncedAt;
      if (changes !== undefined) changes.syncedAt = batch.syncedAt;
    }
    if (batch.fullPeople || batch.people.length > 0 || batch.deletedPeople.length > 0) {
      mirror.people = new Map(this.#people().map((p) => [p.id, p]));
      if (changes !== undefined) changes.people = [...mirror.people.values()];
    }
  }

  #restrictionsOf(definitionId: string): Restriction[] {
    return (this.#db.prepare('SELECT level, allowed FROM restrictions WHERE definition_id = ?').raw().all(definitionId) as unknown[][]).map((r) => ({
      definitionId,
      level: r[0] as number,
      allowed: JSON.parse(r[1] as string) as string[],
    }));
  }

  #deleteMissing(structureVersion: string, level: number, keep: ReadonlySet<string>): number {
    let deleted = 0;
    for (const [id] of this.#db.prepare('SELECT id FROM definitions WHERE structure_version = ? AND level = ?').raw().all(structureVersion, level) as [string][]) {
      if (!keep.has(id)) deleted += this.#deleteDefinition.run(id).changes;
    }
    return deleted;
  }

  #writeDefinition(record: DefinitionRecord): boolean {
    const d = record.definition;
    const written = this.#upsertDefinition.run(definitionRow(d)).changes;
    if (written === 0) return false;
    this.#deleteUsages.run(d.id);
    for (const u of record.usages) this.#insertUsage.run(d.id, ...usageRow(u));
    this.#deleteRestrictions.run(d.id);
    for (const r of record.restrictions) this.#insertRestriction.run(d.id, r.level, JSON.stringify(r.allowed));
    return true;
  }

  /** Memberships are the gateway's own finding (from filtered listings), so they are replaced even when the person row is unchanged. */
  #writePerson(p: Person): boolean {
    const written = this.#upsertPerson.run({
      id: p.id,
      badges: JSON.stringify(p.badges),
      inService: formatOptionalDay(p.inService) ?? null,
      outOfService: formatOptionalDay(p.outOfService) ?? null,
      changeVersion: p.changeVersion ?? null,
    }).changes;
    this.#deleteMemberships.run(p.id);
    for (const g of p.groups) this.#insertMembership.run(p.id, 'Group', g);
    for (const c of p.circles) this.#insertMembership.run(p.id, 'Circle', c);
    return written > 0;
  }
}
