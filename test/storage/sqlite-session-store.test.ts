import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrateSqlite, sqliteMigrations } from '../../src/storage/sqlite/sqlite-migrations.js';
import { SqliteSessionStore } from '../../src/storage/sqlite/sqlite-session-store.js';
import { runSessionStoreContract } from './session-store-contract.js';

async function temporaryDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'viva-sqlite-'));
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
    const directory = await temporaryDirectory();
    try {
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
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('applies each migration once and records it, however often the file is opened', async () => {
    const directory = await temporaryDirectory();
    try {
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
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
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
