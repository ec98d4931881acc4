import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { initialProgress, type AnswerRecord, type InterviewProgress } from '../../src/interview/interview-types.js';
import { serverMessage } from '@viva/protocol/server-messages.js';
import { TurnSequenceError } from '../../src/storage/session-records.js';
import { migrateSqlite, sqliteMigrations } from '../../src/storage/sqlite/sqlite-migrations.js';
import { SqliteSessionStore } from '../../src/storage/sqlite/sqlite-session-store.js';
import { runSessionStoreContract } from './session-store-contract.js';

async function temporaryDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'viva-sqlite-'));
}

/** Runs `use` with a fresh directory, removed afterwards whatever happens. */
async function inTemporaryDirectory(use: (directory: string) => Promise<void>): Promise<void> {
  const directory = await temporaryDirectory();
  try {
    await use(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

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

runSessionStoreContract('sqlite', async () => {
  const directory = await temporaryDirectory();
  const path = join(directory, 'viva.db');
  let store = SqliteSessionStore.open(path);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = SqliteSessionStore.open(path);
      return store;
    },
    cleanup: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describe('SqliteSessionStore specifics', () => {
  it('creates the parent directory and puts the file in WAL mode', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'nested', 'deeper', 'viva.db');
      const store = SqliteSessionStore.open(path, { busyTimeoutMs: 1234 });
      await store.createSession({ id: 'x' });
      assert.ok(existsSync(path));
      await store.close();
      await store.close(); // closing twice is harmless

      const db = new Database(path, { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        db.close();
      }
    });
  });

  it('applies each migration once and records it, however often the file is opened', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'viva.db');
      for (let open = 0; open < 3; open += 1) await SqliteSessionStore.open(path).close();
      const db = new Database(path);
      try {
        const rows = db
          .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
          .all();
        assert.deepEqual(
          rows.map((row) => row.version),
          sqliteMigrations.map((migration) => migration.version),
        );
        assert.deepEqual(migrateSqlite(db), []);
      } finally {
        db.close();
      }
    });
  });

  it('moves the answer records of a database made before migration 2 into rows of their own, losing none', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'viva.db');
      const records = [0, 1, 2].map((index) => answerRecord(index));
      const progress = { ...initialProgress(), state: 'in_progress', current_index: 2, greeted: true, records };
      const old = new Database(path);
      try {
        migrateSqlite(old, sqliteMigrations.filter((migration) => migration.version === 1));
        old
          .prepare(
            `INSERT INTO sessions (id, created_at, updated_at, candidate, settings, plan, progress, report, last_seq, turn_count)
             VALUES ('old', 'x', 'x', '{}', '{}', NULL, ?, NULL, 0, 0), ('empty', 'x', 'x', '{}', '{}', NULL, ?, NULL, 0, 0)`,
          )
          .run(JSON.stringify(progress), JSON.stringify(initialProgress()));
      } finally {
        old.close();
      }
      const store = SqliteSessionStore.open(path);
      try {
        assert.deepEqual((await store.getSession('old'))?.progress, progress);
        assert.deepEqual((await store.getSession('empty'))?.progress, initialProgress());
      } finally {
        await store.close();
      }
      const db = new Database(path, { readonly: true });
      try {
        const column = db.prepare<[], { progress: string }>("SELECT progress FROM sessions WHERE id = 'old'").get();
        assert.equal(JSON.parse(column?.progress ?? '{}').records, undefined);
        const count = db.prepare<[], { count: number }>("SELECT COUNT(*) AS count FROM progress_records WHERE session_id = 'old'").get();
        assert.equal(count?.count, 3);
      } finally {
        db.close();
      }
    });
  });

  it('moves the plan, settings and report of a database made before migration 7 out of the row a turn rewrites', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'viva.db');
      const plan = { track: 'backend', role: 'Backend engineer', level: 'senior', language: 'en', created_by: 'builtin', questions: [] };
      const settings = { role: 'Backend engineer', job_description: 'Payments.\n'.repeat(400) };
      const report = { overall_score: 4, recommendation: 'yes' };
      const old = new Database(path);
      try {
        migrateSqlite(old, sqliteMigrations.filter((migration) => migration.version < 7));
        old
          .prepare(
            `INSERT INTO sessions (id, created_at, updated_at, candidate, settings, plan, progress, report, last_seq, turn_count)
             VALUES ('planned', 'x', 'x', '{"name":"Ada"}', ?, ?, ?, ?, 0, 0), ('bare', 'x', 'x', '{}', '{}', NULL, ?, NULL, 0, 0)`,
          )
          .run(JSON.stringify(settings), JSON.stringify(plan), JSON.stringify(initialProgress()), JSON.stringify(report), JSON.stringify(initialProgress()));
      } finally {
        old.close();
      }
      const store = SqliteSessionStore.open(path);
      try {
        const planned = await store.getSession('planned');
        assert.deepEqual(planned?.plan, plan);
        assert.deepEqual(planned?.settings, settings);
        assert.deepEqual(planned?.report, report);
        assert.deepEqual(planned?.candidate, { name: 'Ada' });
        assert.equal((await store.getSession('bare'))?.plan, null);
        // a turn's write touches the small row only; the documents row keeps its place
        const probe = new Database(path);
        try {
          probe.exec(`CREATE TABLE written (what TEXT);
            CREATE TRIGGER note_documents AFTER UPDATE ON session_documents BEGIN INSERT INTO written VALUES ('documents'); END;`);
          await store.commit({ session_id: 'planned', messages: [], patch: { progress: { ...initialProgress(), greeted: true } } });
          assert.deepEqual(probe.prepare('SELECT what FROM written').pluck().all(), []);
          await store.updateSession('planned', { report: null });
          assert.deepEqual(probe.prepare('SELECT what FROM written').pluck().all(), ['documents']);
          const columns = probe.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck().all('sessions');
          assert.ok(!columns.includes('plan') && !columns.includes('settings') && !columns.includes('report'), columns.join(', '));
        } finally {
          probe.close();
        }
        assert.equal((await store.getSession('planned'))?.report, null);
        // erasing a session takes its documents with it
        await store.deleteSession('planned');
        const left = new Database(path, { readonly: true });
        try {
          assert.equal(left.prepare("SELECT COUNT(*) FROM session_documents WHERE session_id = 'planned'").pluck().get(), 0);
        } finally {
          left.close();
        }
      } finally {
        await store.close();
      }
    });
  });

  it('keeps the answer records of a database made before migration 9 when their table gains rowids', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'viva.db');
      const records = [0, 1, 2].map((index) => answerRecord(index));
      const progress: InterviewProgress = { ...initialProgress(), state: 'in_progress', current_index: 2, greeted: true, records };
      const old = new Database(path);
      try {
        migrateSqlite(old, sqliteMigrations.filter((migration) => migration.version < 9));
        old.prepare("INSERT INTO sessions (id, created_at, updated_at, candidate, progress) VALUES ('kept', 'x', 'x', '{}', ?)").run(
          JSON.stringify({ ...progress, records: undefined }),
        );
        old.prepare("INSERT INTO session_documents (session_id, settings) VALUES ('kept', '{}')").run();
        const insert = old.prepare<[number, string]>("INSERT INTO progress_records (session_id, position, data) VALUES ('kept', ?, ?)");
        // stored out of order: the copy must not depend on the order rows were written in
        for (const position of [2, 0, 1]) insert.run(position, JSON.stringify(records[position]));
      } finally {
        old.close();
      }
      const store = SqliteSessionStore.open(path);
      try {
        assert.deepEqual((await store.getSession('kept'))?.progress, progress);
        // the table works as before: a turn's upsert replaces the newest record, erasing takes them all
        const changed = [...records.slice(0, 2), { ...answerRecord(2), answer: 'changed' }];
        await store.commit({ session_id: 'kept', messages: [], patch: { progress: { ...progress, records: changed } } });
        assert.equal((await store.getSession('kept'))?.progress.records[2]?.answer, 'changed');
      } finally {
        await store.close();
      }
      const db = new Database(path);
      try {
        const table = db.prepare<[], string>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'progress_records'").pluck().get();
        assert.ok(table !== undefined && !/WITHOUT ROWID/i.test(table), table);
        assert.equal(db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'progress_records_with_rowid'").pluck().get(), 0);
        db.pragma('foreign_keys = ON');
        db.prepare("DELETE FROM sessions WHERE id = 'kept'").run();
        assert.equal(db.prepare("SELECT COUNT(*) FROM progress_records WHERE session_id = 'kept'").pluck().get(), 0);
      } finally {
        db.close();
      }
    });
  });

  it('writes only the answer a turn changed: a late turn of a long interview rewrites no earlier answer', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'viva.db');
      const store = SqliteSessionStore.open(path);
      try {
        await store.createSession({ id: 'long' });
        let session = await store.updateSession('long', { progress: { ...initialProgress(), records: [0, 1, 2, 3].map((index) => answerRecord(index)) } });
        // the turn shares the stored (frozen) earlier answers and changes only the newest
        const records = [...session.progress.records];
        const newest = records[3];
        assert.ok(newest !== undefined);
        records[3] = { ...newest, answer: 'changed' };
        // a trigger in the file notes every answer row written, whichever connection writes it
        const probe = new Database(path);
        try {
          probe.exec(`CREATE TABLE written (position INTEGER);
            CREATE TRIGGER note_insert AFTER INSERT ON progress_records BEGIN INSERT INTO written VALUES (NEW.position); END;
            CREATE TRIGGER note_update AFTER UPDATE ON progress_records BEGIN INSERT INTO written VALUES (NEW.position); END;`);
          const versions = () => probe.prepare<[], { position: number; data: string }>("SELECT position, data FROM progress_records WHERE session_id = 'long'").all();
          session = (await store.commit({ session_id: 'long', messages: [], patch: { progress: { ...session.progress, records } } })).session;
          assert.deepEqual(probe.prepare('SELECT position FROM written').pluck().all(), [3]);
          assert.equal(JSON.parse(versions()[3]?.data ?? '{}').answer, 'changed');
          assert.equal(session.progress.records[0], records[0], 'unchanged answers are shared, not copied');
          // fewer records than stored: the extra rows go
          await store.updateSession('long', { progress: { ...session.progress, records: records.slice(0, 1) } });
          assert.equal(versions().length, 1);
        } finally {
          probe.close();
        }
      } finally {
        await store.close();
      }
    });
  });

  it('refuses a database migrated by a newer version, and rolls back a failing migration', () => {
    const db = new Database(':memory:');
    try {
      migrateSqlite(db);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
      assert.throws(() => migrateSqlite(db), /999/);

      const fresh = new Database(':memory:');
      try {
        const broken = [
          ...sqliteMigrations,
          { version: 1000, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); SELECT * FROM missing_table;' },
        ];
        assert.throws(() => migrateSqlite(fresh, broken));
        const tables = fresh.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
        assert.deepEqual(tables, [], 'nothing of the failed run remains');
      } finally {
        fresh.close();
      }
    } finally {
      db.close();
    }
  });

  it('commits the writes of one loop turn together, each on its own: a failing one takes nothing else down', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'viva.db');
      const store = SqliteSessionStore.open(path);
      await store.createSession({ id: 'a' });
      const turn = (number: number) => ({
        turn: number,
        input_id: `in-${number}`,
        input_kind: 'text' as const,
        candidate_text: 'answer',
        reply: 'reply',
        follow_up: false,
        cancelled: false,
      });
      // asked for in the same tick: one transaction, one savepoint each
      const results = await Promise.allSettled([
        store.commit({ session_id: 'a', messages: [serverMessage('notice', 'a', { message: 'one', from: 'admin' })], turn: turn(1) }),
        store.commit({ session_id: 'a', messages: [serverMessage('notice', 'a', { message: 'skips a turn', from: 'admin' })], turn: turn(5) }),
        store.createSession({ id: 'b' }),
        store.commit({ session_id: 'a', messages: [serverMessage('notice', 'a', { message: 'two', from: 'admin' })], turn: turn(2) }),
        store.commit({ session_id: 'ghost', messages: [] }),
      ]);
      assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
      assert.ok(results[1]?.status === 'rejected' && results[1].reason instanceof TurnSequenceError);
      await store.close();

      // what the other writes did is on disk; the failed one left nothing, not even a gap in the seqs
      const reopened = SqliteSessionStore.open(path);
      try {
        const messages = await reopened.messagesAfter('a', 0);
        assert.deepEqual(messages.map((message) => [message.seq, message.type === 'notice' ? message.data.message : '']), [[1, 'one'], [2, 'two']]);
        assert.deepEqual((await reopened.turns('a')).map((stored) => stored.turn), [1, 2]);
        assert.notEqual(await reopened.getSession('b'), null);
      } finally {
        await reopened.close();
      }
    });
  });

  it('undoes a write that failed after writing, and only it, though writes run without savepoints first', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'viva.db');
      const store = SqliteSessionStore.open(path);
      try {
        await store.createSession({ id: 'a' });
        const turn = (number: number, inputKind: unknown) => ({
          turn: number,
          input_id: `in-${number}`,
          // the database refuses a NULL input_kind: the turn row fails after the message row was written
          input_kind: inputKind as 'text',
          candidate_text: 'answer',
          reply: 'reply',
          follow_up: false,
          cancelled: false,
        });
        const notice = (text: string) => serverMessage('notice', 'a', { message: text, from: 'admin' });
        const results = await Promise.allSettled([
          store.commit({ session_id: 'a', messages: [notice('one')], turn: turn(1, 'text') }),
          store.commit({ session_id: 'a', messages: [notice('half written')], turn: turn(2, null) }),
          store.commit({ session_id: 'a', messages: [notice('two')], turn: turn(2, 'text') }),
        ]);
        assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled']);
        const messages = await store.messagesAfter('a', 0);
        assert.deepEqual(messages.map((message) => [message.seq, message.type === 'notice' ? message.data.message : '']), [[1, 'one'], [2, 'two']]);
        assert.deepEqual((await store.turns('a')).map((stored) => stored.turn), [1, 2]);
        assert.equal((await store.getSession('a'))?.last_seq, 2);
      } finally {
        await store.close();
      }
    });
  });

  it('stores writes still waiting for their batch when it is closed', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'viva.db');
      const store = SqliteSessionStore.open(path);
      const created = store.createSession({ id: 'late' });
      await store.close();
      assert.equal((await created).created, true);
      const reopened = SqliteSessionStore.open(path);
      assert.notEqual(await reopened.getSession('late'), null);
      await reopened.close();
    });
  });

  it('hands out frozen records: changing one throws instead of changing the store', async () => {
    const store = SqliteSessionStore.open(':memory:');
    try {
      const { session } = await store.createSession({ id: 'f', candidate: { name: 'Ada' } });
      assert.throws(() => {
        session.candidate.name = 'Eve';
      }, TypeError);
      const again = await store.getSession('f');
      assert.equal(again?.candidate.name, 'Ada');
      assert.throws(() => again?.progress.records.push(), TypeError);
    } finally {
      await store.close();
    }
  });

  it('sees what another process wrote to the same file, though it keeps sessions in memory', async () => {
    const directory = await temporaryDirectory();
    const path = join(directory, 'viva.db');
    const first = SqliteSessionStore.open(path);
    const second = SqliteSessionStore.open(path);
    try {
      await first.createSession({ id: 'shared' });
      // the first store now holds the session in memory
      assert.equal((await first.getSession('shared'))?.last_seq, 0);
      await second.commit({ session_id: 'shared', messages: [serverMessage('notice', 'shared', { message: 'from the other', from: 'admin' })] });
      // reads look for other writers once per turn of the event loop
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal((await first.getSession('shared'))?.last_seq, 1);
      // and a write is never planned on the stale record: numbering continues without a clash
      const next = await first.commit({ session_id: 'shared', messages: [serverMessage('notice', 'shared', { message: 'mine', from: 'admin' })] });
      assert.deepEqual(next.messages.map((message) => message.seq), [2]);
      await second.deleteSession('shared');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await first.getSession('shared'), null);
    } finally {
      await first.close();
      await second.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('checkpoints the WAL from a worker thread when asked to, and stops it on close', async () => {
    await inTemporaryDirectory(async (directory) => {
      const path = join(directory, 'viva.db');
      const store = SqliteSessionStore.open(path, { checkpointInBackground: true });
      for (let index = 0; index < 20; index += 1) await store.createSession({ id: `wal-${index}` });
      // the writer no longer checkpoints 1000 pages at a time by itself; the worker does, every 250 ms
      const copy = join(directory, 'main-file-only.db');
      let found = 0;
      for (let attempt = 0; attempt < 40 && found < 20; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        // the database file alone, without its -wal: it holds only what a checkpoint copied into it
        copyFileSync(path, copy);
        const db = new Database(copy, { readonly: true });
        try {
          // before the first checkpoint the file does not even have the tables
          const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sessions'").get() !== undefined;
          found = hasTable ? (db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM sessions').get()?.count ?? 0) : 0;
        } finally {
          db.close();
        }
      }
      assert.equal(found, 20, 'the sessions reached the database file');
      await store.close();
      assert.equal(existsSync(`${path}-wal`), false, 'the last connection closed removes the WAL');
    });
  });

  it('works on :memory: for quick tests', async () => {
    const store = SqliteSessionStore.open(':memory:');
    try {
      await store.createSession({ id: 'm' });
      assert.equal(await store.countSessions(), 1);
      await store.ping();
    } finally {
      await store.close();
    }
  });
});
