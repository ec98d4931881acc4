import assert from 'node:assert/strict';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { WalCheckpointer } from '../../src/storage/sqlite/wal-checkpointer.js';
import { temporaryDirectory } from '../helpers/temporary-directory.js';

const PAGE_BYTES = 4096;
// a WAL file is a 32-byte header and frames of a 24-byte header and a page each
const walFrames = (path: string) => Math.max(0, (statSync(`${path}-wal`).size - 32) / (PAGE_BYTES + 24));

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
});
