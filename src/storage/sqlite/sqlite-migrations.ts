import type Database from 'better-sqlite3';

export interface Migration {
  /** Applied in ascending order; never renumber or edit one that has shipped, add a new one. */
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, one step at a time. JSON columns are TEXT holding what JSON.stringify wrote; timestamps are
 * ISO 8601 UTC text, which sorts chronologically as text. STRICT makes SQLite refuse wrongly typed values
 * instead of silently storing them.
 */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, messages, turns, settings',
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        candidate TEXT NOT NULL,
        settings TEXT NOT NULL,
        plan TEXT,
        progress TEXT NOT NULL,
        report TEXT,
        last_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
        turn_count INTEGER NOT NULL DEFAULT 0 CHECK (turn_count >= 0)
      ) STRICT;
      CREATE INDEX sessions_by_created ON sessions (created_at DESC, id);
      CREATE INDEX sessions_by_updated ON sessions (updated_at);

      CREATE TABLE messages (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        type TEXT NOT NULL,
        reply_to TEXT,
        timestamp TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
      ) STRICT;
      CREATE INDEX messages_by_reply_to ON messages (session_id, reply_to);

      CREATE TABLE turns (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        turn INTEGER NOT NULL CHECK (turn >= 1),
        input_id TEXT,
        input_kind TEXT NOT NULL,
        candidate_text TEXT,
        reply TEXT NOT NULL,
        follow_up INTEGER NOT NULL CHECK (follow_up IN (0, 1)),
        cancelled INTEGER NOT NULL CHECK (cancelled IN (0, 1)),
        created_at TEXT NOT NULL,
        PRIMARY KEY (session_id, turn)
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'erased session ids',
    sql: `
      CREATE TABLE erased_sessions (
        id TEXT PRIMARY KEY NOT NULL,
        erased_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'answer records in rows of their own',
    // a session's progress held every answer so far, rewritten whole on every turn; now each answer is a
    // row (a turn writes the one it changed) and the progress column keeps the rest
    sql: `
      CREATE TABLE progress_records (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        data TEXT NOT NULL,
        PRIMARY KEY (session_id, position)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO progress_records (session_id, position, data)
        SELECT sessions.id, record.key, record.value
        FROM sessions, json_each(sessions.progress, '$.records') AS record;
      UPDATE sessions SET progress = json_remove(progress, '$.records')
        WHERE json_type(progress, '$.records') IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'turns: what the candidate heard of a spoken reply cut short',
    sql: `
      ALTER TABLE turns ADD COLUMN heard_text TEXT;
      ALTER TABLE turns ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0 CHECK (interrupted IN (0, 1));
    `,
  },
  {
    version: 5,
    name: 'templates, sessions.template_id, indexes for listing interviews',
    // additive only: sessions keep their rows; the state index reads progress through json_extract, so
    // no write path has to keep a copy of the state in step
    sql: `
      ALTER TABLE sessions ADD COLUMN template_id TEXT;
      CREATE INDEX sessions_by_template ON sessions (template_id, created_at DESC, id) WHERE template_id IS NOT NULL;
      CREATE INDEX sessions_by_state ON sessions (json_extract(progress, '$.state'), created_at DESC, id);
      CREATE INDEX sessions_by_template_state ON sessions (template_id, json_extract(progress, '$.state')) WHERE template_id IS NOT NULL;

      CREATE TABLE templates (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        interview TEXT NOT NULL,
        focus TEXT NOT NULL,
        invite TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX templates_by_created ON templates (created_at DESC, id);
    `,
  },
  {
    version: 6,
    name: 'pending inputs: committed voice utterances whose turns are not stored yet',
    // a row lives from speech_stopped until its turn is stored (same transaction), so a process killed in
    // between loses nothing; the rowid keeps a session's utterances in the order they were committed
    sql: `
      CREATE TABLE pending_inputs (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        audio BLOB NOT NULL,
        duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
        language TEXT,
        transcript TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (session_id, id)
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: 'the plan, settings and report in a table of their own',
    // SQLite rewrites a whole row on UPDATE, overflow pages and all: with the plan in it (4 KB for six
    // questions with scoring guides, 25 KB for thirty) every turn rewrote the plan to store its progress.
    // The row a turn updates now holds only what a turn changes and what the lists search; the view puts
    // the two back together for reads, so a session still reads as one row.
    sql: `
      CREATE TABLE session_documents (
        session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        settings TEXT NOT NULL,
        plan TEXT,
        report TEXT
      ) STRICT;
      INSERT INTO session_documents (session_id, settings, plan, report) SELECT id, settings, plan, report FROM sessions;
      ALTER TABLE sessions DROP COLUMN settings;
      ALTER TABLE sessions DROP COLUMN plan;
      ALTER TABLE sessions DROP COLUMN report;
      CREATE VIEW session_rows AS
        SELECT sessions.id, sessions.created_at, sessions.updated_at, sessions.candidate, session_documents.settings,
          session_documents.plan, sessions.progress, session_documents.report, sessions.last_seq, sessions.turn_count,
          sessions.template_id
        FROM sessions JOIN session_documents ON session_documents.session_id = sessions.id;
    `,
  },
  {
    version: 8,
    name: 'messages: no index by reply_to',
    // every turn wrote an entry for its reply into this index, in the part of it that belongs to the
    // session: a page of its own for each session in a batch once a session is long, a sixth of the pages a
    // late turn wrote. Only the question "which inputs has this session answered" read it, once per session
    // brought into memory; the primary key's session prefix answers that from the session's own rows.
    sql: `
      DROP INDEX messages_by_reply_to;
    `,
  },
  {
    version: 9,
    name: 'answer records: a table with rowids',
    // WITHOUT ROWID keeps whole rows in the primary key's B-tree, which pays only for rows far smaller than a
    // page; an answer record is about a kilobyte, so a leaf held three or four and the upsert every turn
    // makes split and rebalanced leaves. With rowids the records sit in the table's B-tree and the key's index
    // holds only (session_id, position): in paired runs of the store bench a commit cost 13% less
    // (decision 0011). Copied in key order, so a session's existing records stay together.
    sql: `
      CREATE TABLE progress_records_with_rowid (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        data TEXT NOT NULL,
        PRIMARY KEY (session_id, position)
      ) STRICT;
      INSERT INTO progress_records_with_rowid (session_id, position, data)
        SELECT session_id, position, data FROM progress_records ORDER BY session_id, position;
      DROP TABLE progress_records;
      ALTER TABLE progress_records_with_rowid RENAME TO progress_records;
    `,
  },
];

/**
 * Brings the database up to the newest migration and returns the versions applied by this call (empty
 * when it was current). Runs in one IMMEDIATE transaction: the write lock is taken before the applied
 * versions are read, so two processes opening the same file at once cannot both apply a step, and a
 * failing step leaves the database as it was.
 * @throws Error when the database has a version this code does not know (it was migrated by newer code)
 */
export function migrateSqlite(db: Database.Database, migrations: readonly Migration[] = sqliteMigrations): number[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const run = db.transaction((): number[] => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT
    `);
    const applied = new Set(
      db
        .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
        .all()
        .map((row) => row.version),
    );
    const known = new Set(ordered.map((migration) => migration.version));
    const unknown = [...applied].filter((version) => !known.has(version));
    if (unknown.length > 0) {
      throw new Error(
        `database schema has migration ${unknown.join(', ')} unknown to this version of Viva; upgrade Viva`,
      );
    }
    const record = db.prepare<[number, string, string]>(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    const now: number[] = [];
    for (const migration of ordered) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      now.push(migration.version);
    }
    return now;
  });
  return run.immediate();
}
