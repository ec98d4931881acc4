import type { PoolClient } from 'pg';

export interface PostgresMigration {
  /** Applied in ascending order; never renumber or edit one that has shipped, add a new one. */
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, one step at a time. JSON columns are `text` holding what JSON.stringify wrote, not `jsonb`:
 * the text round-trips exactly (key order, number spelling) and JSON.stringify escapes U+0000 as `\u0000`,
 * which `jsonb` would refuse. Ids are `COLLATE "C"` so that ORDER BY id is code-unit order, as in the other
 * adapters, whatever the database's locale. `created_at`/`updated_at` are timestamptz for operators'
 * queries; a message's `timestamp` is the wire value and stays text.
 */
export const postgresMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'sessions, messages, turns, settings',
    sql: `
      CREATE TABLE sessions (
        id text COLLATE "C" PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        candidate text NOT NULL,
        settings text NOT NULL,
        plan text,
        progress text NOT NULL,
        report text,
        last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
        turn_count integer NOT NULL DEFAULT 0 CHECK (turn_count >= 0)
      );
      CREATE INDEX sessions_by_created ON sessions (created_at DESC, id);
      CREATE INDEX sessions_by_updated ON sessions (updated_at);

      CREATE TABLE messages (
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq bigint NOT NULL CHECK (seq >= 1),
        type text NOT NULL,
        reply_to text COLLATE "C",
        timestamp text NOT NULL,
        data text NOT NULL,
        PRIMARY KEY (session_id, seq)
      );
      CREATE INDEX messages_by_reply_to ON messages (session_id, reply_to) WHERE reply_to IS NOT NULL;

      CREATE TABLE turns (
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        turn integer NOT NULL CHECK (turn >= 1),
        input_id text,
        input_kind text NOT NULL,
        candidate_text text,
        reply text NOT NULL,
        follow_up boolean NOT NULL,
        cancelled boolean NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (session_id, turn)
      );

      CREATE TABLE settings (
        key text COLLATE "C" PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'erased session ids',
    sql: `
      CREATE TABLE erased_sessions (
        id text COLLATE "C" PRIMARY KEY,
        erased_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'turns: what the candidate heard of a spoken reply cut short',
    sql: `
      ALTER TABLE turns ADD COLUMN heard_text text;
      ALTER TABLE turns ADD COLUMN interrupted boolean NOT NULL DEFAULT false;
    `,
  },
  {
    version: 4,
    name: 'templates, sessions.template_id, indexes for listing interviews',
    // additive only. The state index parses progress as json (not jsonb, which refuses the \u0000 escape
    // a candidate's answer may carry); queries must spell the expression exactly like this to use it
    sql: `
      ALTER TABLE sessions ADD COLUMN template_id text COLLATE "C";
      CREATE INDEX sessions_by_template ON sessions (template_id, created_at DESC, id) WHERE template_id IS NOT NULL;
      CREATE INDEX sessions_by_state ON sessions (((progress::json) ->> 'state'), created_at DESC, id);
      CREATE INDEX sessions_by_template_state ON sessions (template_id, ((progress::json) ->> 'state')) WHERE template_id IS NOT NULL;

      CREATE TABLE templates (
        id text COLLATE "C" PRIMARY KEY,
        name text NOT NULL,
        interview text NOT NULL,
        focus text NOT NULL,
        invite text COLLATE "C" NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX templates_by_created ON templates (created_at DESC, id);
    `,
  },
  {
    version: 5,
    name: 'answer records in rows of their own',
    // as SQLite's migration 3: progress held every answer so far, rewritten whole on every turn; now each
    // answer is a row (a turn writes the one it changed) and the progress column keeps the rest. json, not
    // jsonb, for the reason above; a json value's text is the text JSON.stringify wrote
    sql: `
      CREATE TABLE progress_records (
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        data text NOT NULL,
        PRIMARY KEY (session_id, position)
      );
      INSERT INTO progress_records (session_id, position, data)
        SELECT sessions.id, record.ordinality - 1, record.value::text
        FROM sessions, json_array_elements(sessions.progress::json -> 'records') WITH ORDINALITY AS record (value, ordinality)
        WHERE json_typeof(sessions.progress::json -> 'records') = 'array';
      UPDATE sessions
        SET progress = coalesce((SELECT json_object_agg(field.key, field.value) FROM json_each(sessions.progress::json) AS field WHERE field.key <> 'records')::text, '{}')
        WHERE (progress::json -> 'records') IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'pending inputs: committed voice utterances whose turns are not stored yet',
    // a row lives from speech_stopped until its turn is stored (same transaction), so a node killed in
    // between loses nothing; position keeps a session's utterances in the order they were committed
    sql: `
      CREATE TABLE pending_inputs (
        position bigserial PRIMARY KEY,
        session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        id text COLLATE "C" NOT NULL,
        audio bytea NOT NULL,
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        language text,
        transcript text,
        created_at timestamptz NOT NULL,
        UNIQUE (session_id, id)
      );
    `,
  },
];

/**
 * Any constant works as long as every Viva node uses the same one; this is "viva" in ASCII. Another
 * application on the same database that happens to use this number would only wait, never corrupt.
 */
const MIGRATION_LOCK_KEY = 0x76697661;

/**
 * Brings the database up to the newest migration and returns the versions applied by this call (empty
 * when it was current). Everything happens in one transaction that first takes a transaction-scoped
 * advisory lock, so nodes starting together apply each step exactly once (the others wait, then find it
 * applied), and a failing step leaves the database as it was (PostgreSQL DDL is transactional).
 * @throws Error when the database has a version this code does not know (it was migrated by newer code)
 */
export async function migratePostgres(
  client: PoolClient,
  migrations: readonly PostgresMigration[] = postgresMigrations,
): Promise<number[]> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  await client.query('BEGIN');
  try {
    // the pool's statement_timeout suits turns, not a schema change (or waiting for another node's)
    await client.query("SET LOCAL statement_timeout = '10min'");
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const known = new Set(ordered.map((migration) => migration.version));
    const unknown = [...applied].filter((version) => !known.has(version));
    if (unknown.length > 0) {
      throw new Error(
        `database schema has migration ${unknown.join(', ')} unknown to this version of Viva; upgrade Viva`,
      );
    }
    const now: number[] = [];
    for (const migration of ordered) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      now.push(migration.version);
    }
    await client.query('COMMIT');
    return now;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
