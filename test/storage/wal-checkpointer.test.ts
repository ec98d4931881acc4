import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { WalCheckpointer } from '../../src/storage/sqlite/wal-checkpointer.js';
import { temporaryDirectory } from '../helpers/temporary-directory.js';

const PAGE_BYTES = 4096;
// a WAL file is a 32-byte header and frames of a 24-byte header and a page each
const walFrames = (path: string) => Math.max(0, (statSync(`${path}-wal`).size - 32) / (PAGE_BYTES + 24));

// the WAL header's checkpoint sequence number (big-endian at byte 12), one more each time the WAL starts over
const walRestarts = (path: string) => readFileSync(`${path}-wal`).readUInt32BE(12);

describe('WalCheckpointer', () => {
  it('keeps copying while commits keep coming, and the WAL still starts over at the writer’s backstop', async () => {
    const path = join(temporaryDirectory('viva-wal-'), 'wal.db');
    const db = new Database(path);
    // before WAL mode, which fixes the page size: walFrames counts frames of this size
    db.pragma(`page_size = ${PAGE_BYTES}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // the writer's backstop, as the store sets it, at a size a test reaches in a second
    const backstopFrames = 400;
    db.pragma(`wal_autocheckpoint = ${backstopFrames}`);
    db.exec('CREATE TABLE answers (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    const checkpointer = new WalCheckpointer(path, { intervalMs: 20 });
    const insert = db.prepare<[string]>('INSERT INTO answers (text) VALUES (?)');
    const rows = 4_000;
    let largestWal = 0;
    try {
      for (let index = 0; index < rows; index += 1) {
        // a commit of its own each: at least a page of the WAL each, ten times the backstop in all
        insert.run(`answer ${index} `.padEnd(1500, 'x'));
        if (index % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        largestWal = Math.max(largestWal, walFrames(path));
      }
    } finally {
      await checkpointer.stop();
    }
    // a worker holding the WAL open (a read left unfinished, say) would let it grow by every commit
    assert.ok(largestWal <= backstopFrames + 200, `the WAL grew to ${largestWal} frames`);
    assert.equal(db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM answers').get()?.count, rows);
    // the worker's last round, on stop, copied the rest: the database file alone, without its WAL, has every row
    const copy = `${path}.alone`;
    copyFileSync(path, copy);
    db.close();
    const alone = new Database(copy, { readonly: true });
    try {
      assert.equal(alone.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM answers').get()?.count, rows);
    } finally {
      alone.close();
    }
  });

  it('starts a long WAL over by itself, so that the writer’s backstop is never reached', async () => {
    const path = join(temporaryDirectory('viva-wal-'), 'wal.db');
    const db = new Database(path);
    db.pragma(`page_size = ${PAGE_BYTES}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // no backstop at all: only the worker's RESTART can start this WAL over
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE answers (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    const restartFrames = 200;
    const checkpointer = new WalCheckpointer(path, { intervalMs: 20, restartFrames });
    const insert = db.prepare<[string]>('INSERT INTO answers (text) VALUES (?)');
    const rows = 3_000;
    let largestWal = 0;
    try {
      for (let index = 0; index < rows; index += 1) {
        insert.run(`answer ${index} `.padEnd(1500, 'x'));
        if (index % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        largestWal = Math.max(largestWal, walFrames(path));
      }
    } finally {
      await checkpointer.stop();
    }
    // the WAL's header counts the times it started over; without the restart it never does, and holds a
    // frame or more for every commit (6,000 here). The file keeps its largest size: rounds come every
    // 20 ms, and the restart waits for a moment between this loop's commits
    assert.ok(walRestarts(path) >= 2, `the WAL started over ${walRestarts(path)} times`);
    assert.ok(largestWal < rows, `the WAL grew to ${largestWal} frames`);
    assert.equal(db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM answers').get()?.count, rows);
    db.close();
  });
});
