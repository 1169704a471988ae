import type { Database } from 'better-sqlite3';
import { PtgwError } from '../core/errors.js';

/**
 * Forward-only schema migrations. `PRAGMA user_version` holds the number of migrations applied;
 * each runs in its own transaction, so a crash leaves the cache at one version or the next.
 * Never edit a migration that has shipped: add a new one.
 */
const MIGRATIONS: readonly string[] = [
  // 1: the model, people with their memberships, and the sync cursors.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE structure_versions (id TEXT PRIMARY KEY, levels INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE definitions (
    id TEXT PRIMARY KEY,
    structure_version TEXT NOT NULL,
    level INTEGER NOT NULL,
    parent_id TEXT,
    data_entry_code TEXT,
    short_code TEXT,
    external_reference TEXT,
    name TEXT NOT NULL,
    translations TEXT,
    info TEXT,
    active_from TEXT,
    active_until TEXT,
    change_version TEXT
  );
  CREATE INDEX definitions_by_level ON definitions (structure_version, level, data_entry_code);
  CREATE TABLE usages (
    definition_id TEXT NOT NULL REFERENCES definitions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('Person', 'Group', 'Circle')),
    reference INTEGER NOT NULL,
    from_date TEXT NOT NULL,
    until_date TEXT
  );
  CREATE INDEX usages_by_definition ON usages (definition_id);
  CREATE TABLE restrictions (
    definition_id TEXT NOT NULL REFERENCES definitions (id) ON DELETE CASCADE,
    level INTEGER NOT NULL,
    allowed TEXT NOT NULL
  );
  CREATE INDEX restrictions_by_definition ON restrictions (definition_id);
  CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    badges TEXT NOT NULL,
    in_service TEXT,
    out_of_service TEXT,
    change_version TEXT
  );
  CREATE TABLE memberships (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('Group', 'Circle')),
    reference INTEGER NOT NULL,
    PRIMARY KEY (person_id, kind, reference)
  ) WITHOUT ROWID;
  CREATE TABLE sync_cursors (collection TEXT PRIMARY KEY, value TEXT, updated_at INTEGER NOT NULL) WITHOUT ROWID;
  `,
  // 2: the outbox of accepted selections, committed before the terminal hears "accepted".
  `
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    terminal_id TEXT NOT NULL,
    terminal_ref TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    badge TEXT NOT NULL,
    structure_version TEXT NOT NULL,
    date TEXT NOT NULL,
    time_of_day_minutes INTEGER NOT NULL,
    levels TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    delivered_at INTEGER,
    location TEXT
  );
  CREATE INDEX outbox_by_state ON outbox (state, seq);
  `,
  // 3: outbox counts per state, kept by triggers in the same transaction as the change. Counting
  // delivered rows (kept for the retention, hundreds of thousands) took a scan on every status
  // refresh and metrics scrape, on the event loop that answers the terminals.
  `
  CREATE TABLE outbox_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO outbox_counts (state, n)
    SELECT s.state, (SELECT count(*) FROM outbox WHERE outbox.state = s.state)
    FROM (SELECT 'pending' AS state UNION ALL SELECT 'sending' UNION ALL SELECT 'delivered' UNION ALL SELECT 'failed') AS s;
  CREATE TRIGGER outbox_counts_insert AFTER INSERT ON outbox BEGIN
    UPDATE outbox_counts SET n = n + 1 WHERE state = NEW.state;
  END;
  CREATE TRIGGER outbox_counts_update AFTER UPDATE OF state ON outbox WHEN OLD.state <> NEW.state BEGIN
    UPDATE outbox_counts SET n = n - 1 WHERE state = OLD.state;
    UPDATE outbox_counts SET n = n + 1 WHERE state = NEW.state;
  END;
  CREATE TRIGGER outbox_counts_delete AFTER DELETE ON outbox BEGIN
    UPDATE outbox_counts SET n = n - 1 WHERE state = OLD.state;
  END;
  `,
  // 4: the look-up of an uncertain send counts the identical selections already delivered (a
  // worker who scans the same code twice in a minute makes two equal clockings): by clocking key.
  `
  CREATE INDEX outbox_by_clocking ON outbox (person_id, date, time_of_day_minutes);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database, target = SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new PtgwError(
      'CACHE_SCHEMA_TOO_NEW',
      `The cache ${db.name} has schema version ${current}, newer than this ptgw understands (${SCHEMA_VERSION}); upgrade ptgw or move the cache aside.`,
    );
  }
  for (let v = current; v < target; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return Math.max(current, target);
}
