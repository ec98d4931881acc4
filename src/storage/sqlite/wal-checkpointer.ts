import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /** How often the worker copies the WAL into the database file, milliseconds. @default 250 */
  intervalMs?: number;
}

// plain CommonJS run by the worker: it needs no TypeScript loader, only better-sqlite3
const WORKER_SOURCE = `
const { openSync, fdatasyncSync, closeSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 1000 });
// SQLite syncs the database file only after a checkpoint that copied every frame of the WAL, which never
// happens while commits keep coming: the pages copied pile up unsynced until the writer's backstop
// checkpoint, whose sync then writes them all inside a commit, on the event loop (20-40 ms every couple of
// seconds under load). Syncing after every round leaves that sync little to write. A read-only
// descriptor is enough for fdatasync on Linux.
const file = openSync(workerData.path, 'r');
const syncDatabaseFile = () => {
  try {
    fdatasyncSync(file);
  } catch {
    // SQLite's own syncs still keep the file consistent; this one only spares the writer a long one
  }
};
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    syncDatabaseFile();
  } catch {
    // busy or locked: the next round tries again, and the writer's own autocheckpoint is the backstop
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  closeSync(file);
  parentPort.close();
});
`;

/**
 * Copies the WAL back into the database file from a worker thread, with a connection of its own. SQLite
 * would otherwise do it inside a commit on the event loop (every 1000 pages by default), and a checkpoint
 * with its fsync holds the loop for milliseconds: every turn waiting then shows it in its latency. A
 * PASSIVE checkpoint never blocks writers; the writer keeps a far larger autocheckpoint in case this
 * worker falls behind or dies.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  constructor(path: string, options: WalCheckpointerOptions = {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs: options.intervalMs ?? 250 } });
    // a failing worker only means the writer checkpoints by itself again
    this.#worker.on('error', () => undefined);
    this.#worker.unref();
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
  }

  /** Runs a last checkpoint and stops the worker; one that does not stop within `graceMs` is terminated. */
  async stop(graceMs = 5_000): Promise<void> {
    // an unreferenced worker's exit would not keep the event loop alive long enough to be awaited
    this.#worker.ref();
    this.#worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    // whatever it had not copied stays in the WAL, which the next open reads: nothing is lost
    if ((await Promise.race([this.#exited, late])) === 'late') await this.#worker.terminate();
    clearTimeout(timer);
  }
}
