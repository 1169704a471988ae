import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, migrate } from '../../../src/cache/migrations.js';
import { OutboxStore } from '../../../src/cache/OutboxStore.js';
import { ModelStore } from '../../../src/cache/ModelStore.js';
import { openCache } from '../../../src/cache/openCache.js';
import type { DefinitionRecord, SyncBatch } from '../../../src/cache/syncBatch.js';
import type { Restriction } from '../../../src/core/model.js';
import { CodeIndex } from '../../../src/core/codeIndex.js';
import { isPtgwError } from '../../../src/core/errors.js';
import { IDS, seedModel } from '../../fixtures/seedModel.js';
import { OPEN_END, OPEN_START } from '../../../src/core/day.js';
import { def, SV } from '../../support/modelBuilder.js';
import { useTempDir } from '../../support/tempDir.js';

const tempDir = useTempDir();

function fullBatch(syncedAt = 1000): SyncBatch {
  const model = seedModel();
  const records: DefinitionRecord[] = model.definitions.map((d) => ({
    definition: d,
    usages: model.usages.filter((u) => u.definitionId === d.id),
    restrictions: model.restrictions.filter((r) => r.definitionId === d.id),
  }));
  return {
    syncedAt,
    structureVersions: model.structureVersions,
    fullLevels: [1, 2, 3].map((level) => ({ structureVersion: SV, level, listedIds: new Set(model.definitions.filter((d) => d.level === level).map((d) => d.id)) })),
    definitions: records,
    deletedDefinitions: [],
    fullPeople: true,
    people: model.people,
    deletedPeople: [],
    cursors: [{ collection: `definitions:${SV}:1`, value: 'delta-link-1' }],
  };
}

function empty(syncedAt: number): SyncBatch {
  return { syncedAt, structureVersions: [], fullLevels: [], definitions: [], deletedDefinitions: [], fullPeople: false, people: [], deletedPeople: [], cursors: [] };
}

describe('the model store', () => {
  it('gives back exactly what a sync wrote, after reopening the file', () => {
    const path = join(tempDir(), 'cache.sqlite');
    const db = openCache(path);
    new ModelStore(db).apply(fullBatch());
    db.close();
    const again = openCache(path);
    const snapshot = new ModelStore(again).loadSnapshot();
    const model = seedModel();
    expect(snapshot.syncedAt).toBe(1000);
    const byId = (a: { id: string }, b: { id: string }): number => a.id.localeCompare(b.id);
    expect([...snapshot.definitions].sort(byId)).toEqual([...model.definitions].sort(byId));
    expect(snapshot.usages).toHaveLength(model.usages.length);
    expect(new Set(snapshot.usages.map((u) => JSON.stringify(u)))).toEqual(new Set(model.usages.map((u) => JSON.stringify(u))));
    expect(snapshot.people.find((p) => p.id === 13)).toMatchObject({ badges: ['0000013'], groups: [1, 7], circles: [2, 13] });
    expect(new ModelStore(again).cursor(`definitions:${SV}:1`)).toBe('delta-link-1');
    expect(new ModelStore(again).cursor('nope')).toBeUndefined();
    // The index built from the cache decides like the one built from the model.
    expect(CodeIndex.build(snapshot).find(SV, 3, '00026')?.id).toBe(IDS.cleaning);
    again.close();
  });

  it('reports an empty cache as never synced', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    expect(new ModelStore(db).loadSnapshot().syncedAt).toBeUndefined();
    db.close();
  });

  it('ignores a received definition older than the stored one, and applies a newer one', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    const record = (name: string, changeVersion: string): DefinitionRecord => ({ definition: { ...def({ id: 'x', level: 1, code: '5', name }), changeVersion }, usages: [], restrictions: [] });
    store.apply({ ...empty(1), definitions: [record('v5', '00000000000000000005')] });
    const older = store.apply({ ...empty(2), definitions: [record('v3', '00000000000000000003')] });
    expect(older).toMatchObject({ definitionsWritten: 0, definitionsIgnoredAsOlder: 1 });
    expect(store.loadSnapshot().definitions[0]?.name.default).toBe('v5');
    store.apply({ ...empty(3), definitions: [record('v7', '00000000000000000007')] });
    expect(store.loadSnapshot().definitions[0]?.name.default).toBe('v7');
    db.close();
  });

  it('takes version 10 after version 9: versions Protime sends as numbers compare as numbers, not as text', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    const record = (name: string, changeVersion: string): DefinitionRecord => ({ definition: { ...def({ id: 'x', level: 1, code: '5', name }), changeVersion }, usages: [], restrictions: [] });
    store.apply({ ...empty(1), definitions: [record('v9', '9')] });
    expect(store.apply({ ...empty(2), definitions: [record('v10', '10')] })).toMatchObject({ definitionsWritten: 1, definitionsIgnoredAsOlder: 0 });
    expect(store.loadSnapshot().definitions[0]?.name.default).toBe('v10');
    expect(store.apply({ ...empty(3), definitions: [record('v8', '8')] })).toMatchObject({ definitionsWritten: 0, definitionsIgnoredAsOlder: 1 });
    expect(store.loadSnapshot().definitions[0]?.name.default).toBe('v10');
    db.close();
  });

  it("sees what another process committed to the same cache file at its next apply (ptgw sync or an admin command beside the daemon)", () => {
    const path = join(tempDir(), 'cache.sqlite');
    const daemonDb = openCache(path);
    const daemon = new ModelStore(daemonDb);
    daemon.apply(fullBatch());
    const before = daemon.snapshot().definitions.length;
    const cliDb = openCache(path);
    const record: DefinitionRecord = { definition: { ...def({ id: 'from-the-cli', level: 1, code: '77', name: 'Added by ptgw definitions put' }), changeVersion: '1' }, usages: [], restrictions: [] };
    new ModelStore(cliDb).apply({ ...empty(5), definitions: [record] });
    cliDb.close();
    // The daemon's next sync brings nothing new of its own, yet its model now holds the CLI's definition.
    daemon.apply(empty(6));
    expect(daemon.snapshot().definitions).toHaveLength(before + 1);
    expect(daemon.snapshot().definitions.find((d) => d.id === 'from-the-cli')?.name.default).toBe('Added by ptgw definitions put');
    daemonDb.close();
  });

  it('deletes what a full listing of a level no longer holds, and only on that level', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    store.apply(fullBatch());
    const keep = new Set([IDS.cleaning, IDS.painting, IDS.inspection, IDS.welding]);
    const result = store.apply({ ...empty(2), fullLevels: [{ structureVersion: SV, level: 3, listedIds: keep }] });
    expect(result.definitionsDeleted).toBe(1);
    const ids = store.loadSnapshot().definitions.map((d) => d.id);
    expect(ids).not.toContain(IDS.unused);
    expect(ids).toContain(IDS.maintenance);
    // Usages and restrictions of a deleted definition go with it.
    store.apply({ ...empty(3), deletedDefinitions: [IDS.order100] });
    const snap = store.loadSnapshot();
    expect(snap.usages.some((u) => u.definitionId === IDS.order100)).toBe(false);
    expect(snap.restrictions.some((r) => r.definitionId === IDS.order100)).toBe(false);
    db.close();
  });

  it('replaces people and memberships on a full people listing', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    store.apply(fullBatch());
    const p = seedModel().people.find((x) => x.id === 13);
    store.apply({ ...empty(2), fullPeople: true, people: [{ ...(p as NonNullable<typeof p>), circles: [13] }] });
    const people = store.loadSnapshot().people;
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ id: 13, circles: [13], groups: [1, 7] });
    db.close();
  });

  it('rolls the whole batch back when any part of it fails', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    store.apply(fullBatch());
    const bad = { ...fullBatch(5), cursors: [{ collection: `definitions:${SV}:1`, value: 'new-link' }] };
    // A usage kind the schema refuses makes the transaction fail half-way.
    const broken = bad.definitions.map((r, i) => (i === 3 ? { ...r, usages: [{ ...r.usages[0], kind: 'Nobody' } as never] } : r));
    expect(() => store.apply({ ...bad, definitions: broken, fullLevels: [] })).toThrow();
    expect(store.cursor(`definitions:${SV}:1`)).toBe('delta-link-1');
    expect(store.loadSnapshot().syncedAt).toBe(1000);
    db.close();
  });

  it('lists the references that usages name', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    store.apply(fullBatch());
    const refs = store.usageReferences();
    expect([...refs.Group].sort()).toEqual([1, 5]);
    expect([...refs.Circle]).toEqual([13]);
    expect([...refs.Person]).toEqual([1234]);
    db.close();
  });
});

describe('cache migrations', () => {
  it('upgrades a cache made by an older ptgw and keeps its data', () => {
    const path = join(tempDir(), 'old.sqlite');
    const old = new Database(path);
    migrate(old, 1);
    old.prepare("INSERT INTO definitions (id, structure_version, level, name, data_entry_code) VALUES ('d', 'sv', 1, 'Kept', '7')").run();
    old.prepare("INSERT INTO meta (key, value) VALUES ('syncedAt', '42')").run();
    old.close();
    const db = openCache(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'outbox'").get()).toEqual({ n: 1 });
    const snap = new ModelStore(db).loadSnapshot();
    expect(snap.definitions.map((d) => d.name.default)).toEqual(['Kept']);
    expect(snap.syncedAt).toBe(42);
    db.close();
  });

  it('counts the outbox rows an older ptgw left, per state, when it adds the outbox counts', () => {
    const path = join(tempDir(), 'old.sqlite');
    const old = new Database(path);
    migrate(old, 2);
    const insert = old.prepare("INSERT INTO outbox (id, terminal_id, terminal_ref, person_id, badge, structure_version, date, time_of_day_minutes, levels, created_at, state) VALUES (?, 'T7', '{}', 1, 'b', 'sv', '2025-03-04', 480, '[]', ?, ?)");
    ['delivered', 'delivered', 'delivered', 'failed', 'sending', 'pending', 'pending'].forEach((state, i) => insert.run(`r${i}`, 1000 + i, state));
    old.close();
    const db = openCache(path);
    expect(new OutboxStore(db).stats()).toEqual({ pending: 3, oldestPendingAt: 1004, delivered: 3, failed: 1 });
    db.close();
  });

  it('refuses a cache from a newer ptgw instead of damaging it', () => {
    const path = join(tempDir(), 'new.sqlite');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    let caught: unknown;
    try {
      openCache(path);
    } catch (err) {
      caught = err;
    }
    expect(isPtgwError(caught, 'CACHE_SCHEMA_TOO_NEW')).toBe(true);
    // Opened read-only (ptgw lookup) it is the same refusal, not advice to migrate it with a sync.
    caught = undefined;
    try {
      openCache(path, { readonly: true });
    } catch (err) {
      caught = err;
    }
    expect(isPtgwError(caught, 'CACHE_SCHEMA_TOO_NEW')).toBe(true);
  });

  it('refuses a file that is not SQLite with a clear error', async () => {
    const path = join(tempDir(), 'garbage.sqlite');
    (await import('node:fs')).writeFileSync(path, 'this is not a database, just text that is long enough to look like a header'.repeat(20));
    let caught: unknown;
    try {
      openCache(path);
    } catch (err) {
      caught = err;
    }
    expect(isPtgwError(caught, 'CACHE_OPEN_FAILED')).toBe(true);
  });

  it('opens in WAL mode with synchronous=FULL', () => {
    const db = openCache(join(tempDir(), 'c.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});

describe('the in-memory mirror and index of the cache', () => {
  const normal = (s: ReturnType<ModelStore['loadSnapshot']>): unknown => ({
    ...s,
    definitions: [...s.definitions].sort((a, b) => a.id.localeCompare(b.id)),
    usages: s.usages.map((u) => JSON.stringify(u)).sort(),
    restrictions: s.restrictions.map((r) => JSON.stringify(r)).sort(),
    people: [...s.people].sort((a, b) => a.id - b.id).map((p) => ({ ...p, groups: [...p.groups].sort(), circles: [...p.circles].sort() })),
  });

  it('stays equal to what the file holds through updates, deletions, full listings and people changes', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    store.apply(fullBatch());
    expect(normal(store.snapshot())).toEqual(normal(store.loadSnapshot()));
    const model = seedModel();
    const painting = model.definitions.find((d) => d.id === IDS.painting);
    store.apply({
      ...empty(2000),
      definitions: [{ definition: { ...(painting as NonNullable<typeof painting>), name: { default: 'Painting v2', translations: { nl: 'Schilderen' } } }, usages: [], restrictions: [] }],
      deletedDefinitions: [IDS.welding],
      fullLevels: [{ structureVersion: SV, level: 2, listedIds: new Set([IDS.order100]) }],
      fullPeople: true,
      people: model.people.filter((p) => p.id !== 99),
    });
    const mirrored = store.snapshot();
    expect(normal(mirrored)).toEqual(normal(store.loadSnapshot()));
    expect(mirrored.definitions.find((d) => d.id === IDS.painting)?.name.default).toBe('Painting v2');
    expect(mirrored.definitions.some((d) => d.id === IDS.order200 || d.id === IDS.welding)).toBe(false);
    expect(mirrored.people.some((p) => p.id === 99)).toBe(false);
    expect(mirrored.syncedAt).toBe(2000);
    db.close();
  });

  /** What a terminal can learn from an index: counts, every stored code's definition and its name. */
  const observed = (index: CodeIndex, store: ModelStore): unknown => [
    index.stats,
    index.syncedAt,
    store.loadSnapshot().definitions.map((d) => [d.id, index.find(d.structureVersion, d.level, d.dataEntryCode ?? '')?.name, index.byId(d.id)?.usages]),
    [1234, 1, 99].map((p) => index.personByBadge(String(p), 0)?.id),
  ];

  it('keeps the index it hands out up to date in place, deciding like one built from the file', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    store.apply(fullBatch());
    const index = store.index();
    const model = seedModel();
    const painting = model.definitions.find((d) => d.id === IDS.painting) as NonNullable<ReturnType<typeof model.definitions.find>>;
    store.apply({
      ...empty(2000),
      definitions: [{ definition: { ...painting, dataEntryCode: '991', name: { default: 'Painting v2', translations: {} } }, usages: [{ definitionId: IDS.painting, kind: 'Group', reference: 9, from: 0, until: 99_999 }], restrictions: [] }],
      deletedDefinitions: [IDS.welding],
      fullLevels: [{ structureVersion: SV, level: 2, listedIds: new Set([IDS.order100]) }],
      fullPeople: true,
      people: model.people.filter((p) => p.id !== 99),
    });
    expect(store.index()).toBe(index);
    expect(index.find(SV, painting.level, '991')?.name).toBe('Painting v2');
    expect(observed(index, store)).toEqual(observed(CodeIndex.build(store.loadSnapshot()), store));
    db.close();
  });

  it('builds the index afresh when a sync brought most of what it holds (the first sync fills an empty cache)', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    const empty0 = store.index();
    const records: DefinitionRecord[] = Array.from({ length: 300 }, (_, i) => ({ definition: def({ id: `d${i}`, level: 1, code: String(i), name: 'Shared name' }), usages: [], restrictions: [] }));
    store.apply({ ...empty(5), definitions: records });
    const filled = store.index();
    expect(filled).not.toBe(empty0);
    expect(filled.stats.definitions).toBe(300);
    expect(filled.find(SV, 1, '0')?.name).toBe('Shared name');
    expect(observed(filled, store)).toEqual(observed(CodeIndex.build(store.loadSnapshot()), store));
    db.close();
  });

  it('leaves what a full sync lists again exactly as stored as it was, and rewrites what changed without a new changeVersion', () => {
    const db = openCache(join(tempDir(), 'cache.sqlite'));
    const store = new ModelStore(db);
    const openUsage = { definitionId: IDS.painting, kind: 'Circle' as const, reference: 13, from: OPEN_START, until: OPEN_END };
    const batch = (usages: (id: string) => DefinitionRecord['usages']): SyncBatch => ({ ...fullBatch(), definitions: fullBatch().definitions.map((r) => ({ ...r, usages: usages(r.definition.id) })) });
    const seeded = (id: string): DefinitionRecord['usages'] => [...(fullBatch().definitions.find((r) => r.definition.id === id)?.usages ?? []), ...(id === IDS.painting ? [openUsage] : [])];
    store.apply(batch(seeded));
    const index = store.index();
    expect(store.apply(batch(seeded))).toMatchObject({ definitionsWritten: 0, definitionsUnchanged: 9 });
    // Painting's usages change upstream, its changeVersion does not: the full sync exists for this.
    const regrouped = (id: string): DefinitionRecord['usages'] => (id === IDS.painting ? [{ ...openUsage, kind: 'Group', reference: 42 }] : seeded(id));
    expect(store.apply(batch(regrouped))).toMatchObject({ definitionsWritten: 1, definitionsUnchanged: 8 });
    expect(store.loadSnapshot().usages.filter((u) => u.definitionId === IDS.painting)).toMatchObject([{ kind: 'Group', reference: 42, until: OPEN_END }]);
    // A translation alone changes, and a restriction's list: each is written.
    const retranslated = batch(regrouped);
    retranslated.definitions = retranslated.definitions.map((r) =>
      r.definition.id === IDS.cleaning ? { ...r, definition: { ...r.definition, name: { ...r.definition.name, translations: { ...r.definition.name.translations, nl: 'Poetsen' } } } } : r.definition.id === IDS.order100 ? { ...r, restrictions: [{ ...(r.restrictions[0] as Restriction), allowed: [IDS.cleaning] }] } : r,
    );
    expect(store.apply(retranslated)).toMatchObject({ definitionsWritten: 2, definitionsUnchanged: 7 });
    expect(store.index()).toBe(index);
    expect(observed(index, store)).toEqual(observed(CodeIndex.build(store.loadSnapshot()), store));
    expect(index.byId(IDS.cleaning)?.displayName('nl')).toBe('Poetsen');
    db.close();
  });

  it('builds the index afresh once another process changed the file', () => {
    const path = join(tempDir(), 'cache.sqlite');
    const daemonDb = openCache(path);
    const daemon = new ModelStore(daemonDb);
    daemon.apply(fullBatch());
    daemon.index();
    const cliDb = openCache(path);
    const record: DefinitionRecord = { definition: { ...def({ id: 'from-the-cli', level: 1, code: '77', name: 'Added by ptgw definitions put' }), changeVersion: '1' }, usages: [], restrictions: [] };
    new ModelStore(cliDb).apply({ ...empty(5), definitions: [record] });
    cliDb.close();
    daemon.apply(empty(6));
    expect(daemon.index().find(SV, 1, '77')?.name).toBe('Added by ptgw definitions put');
    expect(observed(daemon.index(), daemon)).toEqual(observed(CodeIndex.build(daemon.loadSnapshot()), daemon));
    daemonDb.close();
  });

  it('names the references usages hold from memory as the file holds them, and reads the file once another process changed it', () => {
    const path = join(tempDir(), 'cache.sqlite');
    const db = openCache(path);
    const store = new ModelStore(db);
    store.apply(fullBatch());
    store.index();
    const model = seedModel();
    // Every usage of group 5 goes (its definitions now name group 9), and one definition is deleted.
    const regrouped = model.definitions.map((d) => ({
      definition: d,
      usages: model.usages.filter((u) => u.definitionId === d.id).map((u) => (u.kind === 'Group' && u.reference === 5 ? { ...u, reference: 9 } : u)),
      restrictions: model.restrictions.filter((r) => r.definitionId === d.id),
    }));
    store.apply({ ...empty(2000), definitions: regrouped, deletedDefinitions: [IDS.welding] });
    const fromFile = (): unknown => {
      const other = openCache(path);
      const refs = new ModelStore(other).usageReferences();
      other.close();
      return refs;
    };
    expect(store.usageReferences()).toEqual(fromFile());
    expect(store.usageReferences().Group.has(5)).toBe(false);
    expect(store.usageReferences().Group.has(9)).toBe(true);
    const cli = openCache(path);
    cli.prepare("INSERT INTO usages (definition_id, kind, reference, from_date) VALUES (?, 'Circle', 77, '2020-01-01')").run(IDS.painting);
    cli.prepare("UPDATE meta SET value = value + 1 WHERE key = 'generation'").run();
    cli.close();
    expect(store.usageReferences().Circle.has(77)).toBe(true);
    db.close();
  });
});
