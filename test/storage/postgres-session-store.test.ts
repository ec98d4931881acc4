import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { SessionStore, UnnumberedMessage } from '../../src/interview/session-store.js';
import { serverMessage } from '@viva/protocol/server-messages.js';
import { isVivaError } from '@viva/protocol/viva-error.js';
import { PostgresSessionStore } from '../../src/storage/postgres/postgres-session-store.js';
import { migratePostgres, postgresMigrations } from '../../src/storage/postgres/postgres-migrations.js';
import { initialProgress, type AnswerRecord } from '../../src/interview/interview-types.js';
import { TurnSequenceError } from '../../src/storage/session-records.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../helpers/postgres-database.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { runSessionStoreContract } from './session-store-contract.js';

const available = await postgresAvailable();
const skip = available ? false : 'PostgreSQL is not reachable (set VIVA_TEST_PG_URL)';

/** One fresh database for the whole file, dropped at the end; each contract test starts from empty tables. */
let database: TestDatabase | undefined;
before(async () => {
  if (available) database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
});

function databaseUrl(): string {
  if (database === undefined) throw new Error('the test database was not created');
  return database.url;
}

async function emptyStore(): Promise<PostgresSessionStore> {
  const store = await PostgresSessionStore.open(databaseUrl(), { poolSize: 4 });
  await adminQuery('TRUNCATE sessions, messages, turns, progress_records, settings, pending_inputs');
  return store;
}

async function adminQuery<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function notice(sessionId: string, message: string): UnnumberedMessage {
  return serverMessage('notice', sessionId, { message, from: 'admin' as const });
}

if (available) {
  runSessionStoreContract('postgres', async () => {
    let store = await emptyStore();
    return {
      store,
      reopen: async () => {
        await store.close();
        store = await PostgresSessionStore.open(databaseUrl(), { poolSize: 4 });
        return store;
      },
      cleanup: () => store.close(),
    };
  });
}

describe('PostgresSessionStore specifics', { skip }, () => {
  it('two stores (two pools, as two nodes) committing to one session get unique, gap-free seqs', async () => {
    const stores = [await emptyStore(), await PostgresSessionStore.open(databaseUrl(), { poolSize: 6 })];
    try {
      await stores[0]?.createSession({ id: 'shared' });
      const commits = Array.from({ length: 60 }, (_, index) => ({ store: stores[index % 2] as SessionStore, size: (index % 3) + 1, index }));
      const results = await Promise.all(
        commits.map(({ store, size, index }) =>
          store.commit({
            session_id: 'shared',
            messages: Array.from({ length: size }, (_, part) => notice('shared', `${index}.${part}`)),
          }),
        ),
      );
      const total = commits.reduce((sum, commit) => sum + commit.size, 0);
      const seqs = results.flatMap((result) => result.messages.map((message) => message.seq)).sort((a, b) => a - b);
      assert.deepEqual(seqs, Array.from({ length: total }, (_, index) => index + 1));
      for (const result of results) {
        const own = result.messages.map((message) => message.seq);
        assert.deepEqual(own, own.map((_, index) => (own[0] ?? 0) + index), 'one commit holds consecutive seqs');
      }
      const stored = await stores[1]?.messagesAfter('shared', 0);
      assert.equal(stored?.length, total);
      assert.equal((await stores[0]?.getSession('shared'))?.last_seq, total);

      // two nodes racing for the same turn: exactly one stores it
      const turn = { turn: 1, input_id: 'race', input_kind: 'text' as const, candidate_text: 'x', reply: 'y', follow_up: false, cancelled: false };
      const raced = await Promise.allSettled(
        stores.map((store) => store.commit({ session_id: 'shared', messages: [notice('shared', 'turn')], turn })),
      );
      assert.equal(raced.filter((result) => result.status === 'fulfilled').length, 1);
      const failed = raced.find((result) => result.status === 'rejected');
      assert.ok(failed?.status === 'rejected' && failed.reason instanceof TurnSequenceError);
      assert.equal((await stores[1]?.turns('shared'))?.length, 1);
    } finally {
      await Promise.all(stores.map((store) => store?.close()));
    }
  });

  it('three nodes opening a fresh database at once apply each migration exactly once', async () => {
    const fresh = await createTestDatabase();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => PostgresSessionStore.open(fresh.url, { poolSize: 2 })));
      await Promise.all(stores.map((store) => store.ping()));
      await Promise.all(stores.map((store) => store.close()));
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        assert.deepEqual(
          rows.map((row) => row.version),
          postgresMigrations.map((migration) => migration.version),
        );
      } finally {
        await client.end();
      }
    } finally {
      await fresh.drop();
    }
  });

  it('refuses a database migrated by a newer version of Viva', async () => {
    const fresh = await createTestDatabase();
    try {
      await (await PostgresSessionStore.open(fresh.url)).close();
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      await client.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')");
      await client.end();
      await assert.rejects(PostgresSessionStore.open(fresh.url), /999/);
    } finally {
      await fresh.drop();
    }
  });

  it('drops U+0000 from plain text columns and keeps it inside JSON; what commit returns is what is stored', async () => {
    const store = await emptyStore();
    try {
      await store.createSession({ id: 'nul', candidate: { name: 'A\u0000da' } });
      const inputId = 'in\u0000put';
      const { messages } = await store.commit({
        session_id: 'nul',
        messages: [
          serverMessage('notice', 'nul', { message: 'x\u0000y', from: 'admin' as const }, { reply_to: inputId }),
        ],
        turn: { turn: 1, input_id: inputId, input_kind: 'text', candidate_text: 'one\u0000two', reply: 're\u0000ply', follow_up: false, cancelled: false },
      });
      assert.equal(messages[0]?.reply_to, 'input');
      assert.equal((messages[0]?.data as { message: string }).message, 'x\u0000y', 'JSON keeps it, escaped');
      assert.deepEqual(await store.messagesAfter('nul', 0), messages);
      assert.deepEqual(await store.messagesForInput('nul', inputId), messages, 'the same id finds its answer');
      assert.equal((await store.getSession('nul'))?.candidate.name, 'A\u0000da');
      const [turn] = await store.turns('nul');
      assert.equal(turn?.input_id, 'input');
      assert.equal(turn?.candidate_text, 'onetwo');
      assert.equal(turn?.reply, 'reply');
    } finally {
      await store.close();
    }
  });

  it('fails fast and retryable while the database is unreachable, and recovers by itself', async () => {
    await emptyStore().then((store) => store.close());
    const target = new URL(databaseUrl());
    const proxy = await TcpProxy.start(Number(target.port || 5432), target.hostname);
    const viaProxy = new URL(databaseUrl());
    viaProxy.port = String(proxy.port);
    const store = await PostgresSessionStore.open(viaProxy.toString(), { poolSize: 2, connectTimeoutMs: 1_000 });
    try {
      await store.createSession({ id: 'outage' });
      await proxy.cut();
      const started = Date.now();
      const isRetryable = (error: unknown) => isVivaError(error, 'INTERNAL_ERROR') && error.retryable;
      await assert.rejects(store.commit({ session_id: 'outage', messages: [notice('outage', 'lost?')] }), isRetryable);
      await assert.rejects(store.ping(), isRetryable);
      assert.ok(Date.now() - started < 5_000, 'bounded, no hang');

      await proxy.restore();
      await store.ping();
      const { messages } = await store.commit({ session_id: 'outage', messages: [notice('outage', 'after')] });
      assert.equal(messages[0]?.seq, 1, 'the failed commit stored nothing');
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  it('a killed backend surfaces as a retryable error and the pool reconnects', async () => {
    const store = await emptyStore();
    try {
      await store.createSession({ id: 'k' });
      await adminQuery(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      // the idle pooled connection is gone; the next call either notices it (retryable) or reconnects
      await store.getSession('k').catch((error: unknown) => {
        assert.ok(isVivaError(error, 'INTERNAL_ERROR') && error.retryable, String(error));
      });
      assert.equal((await store.getSession('k'))?.id, 'k');
    } finally {
      await store.close();
    }
  });

  it('moves the answer records of a database made before migration 5 into rows of their own, losing none', async () => {
    const fresh = await createTestDatabase();
    try {
      const records = [0, 1, 2].map((index) => answerRecord(index));
      const progress = { ...initialProgress(), state: 'in_progress', current_index: 2, greeted: true, records };
      const pool = new pg.Pool({ connectionString: fresh.url, max: 1 });
      const client = await pool.connect();
      try {
        await migratePostgres(client, postgresMigrations.filter((migration) => migration.version < 5));
        await client.query(
          `INSERT INTO sessions (id, created_at, updated_at, candidate, settings, plan, progress, report, last_seq, turn_count)
           VALUES ('old', now(), now(), '{}', '{}', NULL, $1, NULL, 0, 0), ('empty', now(), now(), '{}', '{}', NULL, $2, NULL, 0, 0)`,
          [JSON.stringify(progress), JSON.stringify(initialProgress())],
        );
      } finally {
        client.release();
        await pool.end();
      }
      const store = await PostgresSessionStore.open(fresh.url, { poolSize: 2 });
      try {
        assert.deepEqual((await store.getSession('old'))?.progress, progress);
        assert.deepEqual((await store.getSession('empty'))?.progress, initialProgress());
      } finally {
        await store.close();
      }
      const check = new pg.Client({ connectionString: fresh.url });
      await check.connect();
      try {
        const { rows } = await check.query<{ progress: string }>("SELECT progress FROM sessions WHERE id = 'old'");
        assert.equal(JSON.parse(rows[0]?.progress ?? '{}').records, undefined);
        const counted = await check.query<{ count: number }>("SELECT count(*)::integer AS count FROM progress_records WHERE session_id = 'old'");
        assert.equal(counted.rows[0]?.count, 3);
      } finally {
        await check.end();
      }
    } finally {
      await fresh.drop();
    }
  });

  it('writes only the answer a turn changed: a late turn of a long interview rewrites no earlier answer', async () => {
    const store = await emptyStore();
    try {
      await store.createSession({ id: 'long' });
      let session = await store.updateSession('long', { progress: { ...initialProgress(), records: [0, 1, 2, 3].map((index) => answerRecord(index)) } });
      // the turn shares the stored (frozen) earlier answers and changes only the newest
      const records = [...session.progress.records];
      const newest = records[3];
      assert.ok(newest !== undefined);
      // U+0000 in an answer: in the progress column, the state index (progress::json ->> 'state') refused
      // the whole row; an answer row is plain text
      records[3] = { ...newest, answer: 'changed \u0000' };
      // a trigger notes every answer row written
      await adminQuery(`CREATE TABLE IF NOT EXISTS written (position integer)`);
      await adminQuery(`TRUNCATE written`);
      await adminQuery(`CREATE OR REPLACE FUNCTION note_written() RETURNS trigger AS $$ BEGIN INSERT INTO written VALUES (NEW.position); RETURN NEW; END $$ LANGUAGE plpgsql`);
      await adminQuery(`CREATE OR REPLACE TRIGGER note_written AFTER INSERT OR UPDATE ON progress_records FOR EACH ROW EXECUTE FUNCTION note_written()`);
      try {
        session = (await store.commit({ session_id: 'long', messages: [], patch: { progress: { ...session.progress, records } } })).session;
        assert.deepEqual((await adminQuery<{ position: number }>('SELECT position FROM written')).map((row) => row.position), [3]);
        const stored = await adminQuery<{ data: string }>("SELECT data FROM progress_records WHERE session_id = 'long' ORDER BY position");
        assert.equal(JSON.parse(stored[3]?.data ?? '{}').answer, 'changed \u0000');
        assert.equal(session.progress.records[0], records[0], 'unchanged answers are shared, not copied');
        assert.deepEqual((await store.getSession('long'))?.progress.records, records);
        // a commit without a progress patch writes no answer at all
        await adminQuery('TRUNCATE written');
        await store.commit({ session_id: 'long', messages: [notice('long', 'hello')] });
        assert.deepEqual(await adminQuery('SELECT position FROM written'), []);
        // fewer records than stored: the extra rows go
        await store.updateSession('long', { progress: { ...session.progress, records: records.slice(0, 1) } });
        assert.equal((await adminQuery("SELECT 1 FROM progress_records WHERE session_id = 'long'")).length, 1);
        assert.deepEqual((await store.getSession('long'))?.progress.records, records.slice(0, 1));
      } finally {
        await adminQuery('DROP TRIGGER IF EXISTS note_written ON progress_records');
        await adminQuery('DROP TABLE IF EXISTS written');
      }
    } finally {
      await store.close();
    }
  });
});

function answerRecord(index: number): AnswerRecord {
  return {
    question_id: `q${index}`,
    question: `Question ${index}?`,
    stage: 'technical',
    competency: 'system design',
    answer: `Answer ${index}.`,
    follow_ups: [{ question: `Why ${index}?`, answer: 'Because.' }],
    skipped: false,
    unknown: false,
  };
}
