import Database from 'better-sqlite3';
import { join } from 'node:path';
import { KIND_CIRCLE, KIND_GROUP, KIND_PERSON, kindIndex } from '../../src/core/usageTable.js';
import type { Snapshot } from '../../src/core/model.js';

/**
 * The design the index replaces: every decision asks SQLite (a real file, indexed tables,
 * prepared statements) for the person, the definition, its usages and the restrictions.
 */
export class SqliteDecider {
  readonly #db: Database.Database;
  readonly #person: Database.Statement;
  readonly #def: Database.Statement;
  readonly #usages: Database.Statement;
  readonly #restriction: Database.Statement;

  constructor(dir: string, model: Snapshot) {
    this.#db = new Database(join(dir, 'baseline.sqlite'));
    const db = this.#db;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.exec(`
      CREATE TABLE definitions (id TEXT PRIMARY KEY, sv TEXT, level INTEGER, code TEXT, parent_id TEXT, active_from INTEGER, active_until INTEGER, name TEXT);
      CREATE INDEX definitions_code ON definitions (sv, level, code);
      CREATE TABLE people (badge TEXT PRIMARY KEY, id INTEGER, in_service INTEGER, out_of_service INTEGER, groups TEXT, circles TEXT);
      CREATE TABLE usages (definition_id TEXT, kind INTEGER, ref INTEGER, from_day INTEGER, until_day INTEGER);
      CREATE INDEX usages_def ON usages (definition_id);
      CREATE TABLE restrictions (definition_id TEXT, level INTEGER, allowed TEXT);
      CREATE INDEX restrictions_def ON restrictions (definition_id, level);`);
    const insDef = db.prepare('INSERT INTO definitions VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insPerson = db.prepare('INSERT INTO people VALUES (?, ?, ?, ?, ?, ?)');
    const insUsage = db.prepare('INSERT INTO usages VALUES (?, ?, ?, ?, ?)');
    const insRestriction = db.prepare('INSERT INTO restrictions VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const d of model.definitions) insDef.run(d.id, d.structureVersion, d.level, d.dataEntryCode ?? null, d.parentId ?? null, d.activeFrom, d.activeUntil, d.name.default);
      for (const p of model.people) for (const b of p.badges) insPerson.run(b, p.id, p.inService, p.outOfService, `,${p.groups.join(',')},`, `,${p.circles.join(',')},`);
      for (const u of model.usages) insUsage.run(u.definitionId, kindIndex(u.kind), u.reference, u.from, u.until);
      for (const r of model.restrictions) insRestriction.run(r.definitionId, r.level, `,${r.allowed.join(',')},`);
    })();
    this.#person = db.prepare('SELECT id, in_service, out_of_service, groups, circles FROM people WHERE badge = ?');
    this.#def = db.prepare('SELECT id, parent_id, active_from, active_until, name FROM definitions WHERE sv = ? AND level = ? AND code = ?');
    this.#usages = db.prepare('SELECT kind, ref, from_day, until_day FROM usages WHERE definition_id = ?').raw();
    this.#restriction = db.prepare('SELECT allowed FROM restrictions WHERE definition_id = ? AND level = ?').raw();
  }

  /** The same rules, in the same order, as the validator; returns the reason. */
  decide(sv: string, level: number, code: string, badge: string, day: number, choices: readonly string[]): string {
    const p = this.#person.get(badge) as { id: number; in_service: number; out_of_service: number; groups: string; circles: string } | undefined;
    if (p === undefined || day < p.in_service || day > p.out_of_service) return 'UNKNOWN_BADGE';
    const d = this.#def.get(sv, level, code) as { id: string; parent_id: string | null; active_from: number; active_until: number } | undefined;
    if (d === undefined) return 'UNKNOWN_CODE';
    if (day < d.active_from) return 'NOT_YET_ACTIVE';
    if (day > d.active_until) return 'EXPIRED';
    const above = choices[choices.length - 1];
    if (d.parent_id !== null && above !== undefined && above !== d.parent_id) return 'WRONG_PARENT';
    for (const c of choices) {
      for (const [allowed] of this.#restriction.all(c, level) as [string][]) if (!allowed.includes(`,${d.id},`)) return 'RESTRICTED';
    }
    const rows = this.#usages.all(d.id) as [number, number, number, number][];
    if (rows.length === 0) return 'NO_USAGE';
    for (const [kind, ref, from, until] of rows) {
      if (from > day || until < day) continue;
      if (kind === KIND_PERSON ? ref === p.id : (kind === KIND_GROUP ? p.groups : kind === KIND_CIRCLE ? p.circles : '').includes(`,${ref},`)) return 'ACCEPTED';
    }
    return 'NO_USAGE';
  }

  close(): void {
    this.#db.close();
  }
}
