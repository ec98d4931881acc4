import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { GroupCommit } from '../../src/storage/sqlite/group-commit.js';
import { temporaryDirectory } from '../helpers/temporary-directory.js';

/**
 * A database file in WAL mode with one table, a writer connection of this thread on it, its group commit
 * with that busy timeout, and the statement that adds an answer.
 */
function openWriter(busyTimeoutMs: number) {
  const path = join(temporaryDirectory('viva-group-commit-'), 'lock.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE answers (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  const writes = new GroupCommit(db, hooks, busyTimeoutMs);
  const insert = db.prepare<[string]>('INSERT INTO answers (text) VALUES (?)');
  return { path, db, writes, insert };
}

const storedTexts = (db: Database.Database) =>
  db.prepare<[], { text: string }>('SELECT text FROM answers ORDER BY id').all().map((row) => row.text);

const hooks = { beforeBatch: () => undefined, afterFailedBatch: () => undefined };

/**
 * Another connection, on a thread of its own (as the WAL checkpointer or another process would be), takes
 * the write lock and keeps it for `holdMs`. Resolves once the lock is taken; `released` once it is let go.
 */
async function holdWriteLock(path: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.path);
    db.exec('BEGIN IMMEDIATE');
    parentPort.postMessage('locked');
    setTimeout(() => {
      db.exec('COMMIT');
      db.close();
      parentPort.postMessage('released');
    }, workerData.holdMs);
    `,
    { eval: true, workerData: { path, driver, holdMs } },
  );
  const released = new Promise<void>((resolve) => worker.on('message', (message) => message === 'released' && resolve()));
  await new Promise<void>((resolve) => worker.on('message', (message) => message === 'locked' && resolve()));
  return { released: released.then(() => worker.terminate()).then(() => undefined) };
}

/** Calls `during` while measuring the longest gap between turns of the event loop (a 2 ms interval). */
async function longestLoopGap(during: () => Promise<void>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 2);
  try {
    await during();
  } finally {
    clearInterval(ticker);
  }
  return Math.max(longest, performance.now() - last);
}

describe('GroupCommit and another connection’s write lock', () => {
  it('waits for the lock without holding the event loop, then commits every write asked for meanwhile', async () => {
    const { path, db, writes, insert } = openWriter(5_000);
    const lock = await holdWriteLock(path, 300);
    const startedAt = performance.now();
    let settledAt = 0;
    const gap = await longestLoopGap(async () => {
      const first = writes.run(() => insert.run('first').changes);
      // asked for while the first batch waits: it goes along when the batch is tried again
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = writes.run(() => insert.run('second').changes);
      assert.deepEqual(await Promise.all([first, second]), [1, 1]);
      settledAt = performance.now();
    });
    await lock.released;
    // SQLite's busy handler would have slept on this thread until the lock was free: 300 ms without a turn
    assert.ok(gap < 100, `the event loop stood still for ${gap.toFixed(0)} ms`);
    assert.ok(settledAt - startedAt >= 250, 'the writes were committed only after the other connection let go');
    assert.deepEqual(storedTexts(db), ['first', 'second']);
    db.close();
  });

  it('fails the writes with SQLite’s busy error once the busy timeout has passed, and commits again later', async () => {
    const { path, db, writes, insert } = openWriter(200);
    const lock = await holdWriteLock(path, 1_000);
    const startedAt = performance.now();
    await assert.rejects(
      writes.run(() => insert.run('too late').changes),
      (error: Error & { code?: string }) => error.code === 'SQLITE_BUSY',
    );
    const waited = performance.now() - startedAt;
    assert.ok(waited >= 200 && waited < 900, `the write failed after ${waited.toFixed(0)} ms`);
    await lock.released;
    assert.equal(await writes.run(() => insert.run('after').changes), 1);
    assert.deepEqual(storedTexts(db), ['after']);
    db.close();
  });

  it('waits on the thread when told to flush now (closing the database)', async () => {
    const { path, db, writes, insert } = openWriter(5_000);
    const lock = await holdWriteLock(path, 200);
    const written = writes.run(() => insert.run('at close').changes);
    writes.flush();
    assert.equal(await written, 1);
    await lock.released;
    db.close();
  });
});
