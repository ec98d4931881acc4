 
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  CommitRequest,
  CommitResult,
  SessionPatch,
  SessionRecord,
  SessionStore,
  StoredTurn,
} from '../../interview/session-store.js';
import type { Candidate, InterviewSettingsInput } from '../../interview/interview-types.js';
import type { DurableMessage } from '../../protocol/server-messages.js';
import { VivaError } from '../../protocol/viva-error.js';
import { applyPatch, newSessionRecord, normalizeLimit, normalizeOffset, planCommit } from '../session-records.js';
import {
  messageFromRow,
  messageToRow,
  sessionFromRow,
  sessionToRow,
  turnFromRow,
  turnToRow,
  type MessageRow,
  type SessionRow,
  type TurnRow,
} from '../session-rows.js';
import { migrateSqlite } from './sqlite-migrations.js';

export interface SqliteSessionStoreOptions {
  /**
   * `FULL` (default) fsyncs the WAL at every commit, so an acknowledged commit survives power loss and OS
   * crashes too. `NORMAL` fsyncs only at checkpoints: a killed process (even SIGKILL) still loses nothing
   * committed, because committed WAL frames are already in the OS page cache, but a power cut may roll
   * back the newest commits. A commit is one interview turn, seconds apart, so one fsync each is cheap.
   * @default 'FULL'
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a statement waits for another connection's lock before failing, in milliseconds. @default 5000 */
  busyTimeoutMs?: number;
  /** The clock for created_at, updated_at and turn timestamps. @default () => new Date() */
  now?: () => Date;
}

const sessionColumns =
  'id, created_at, updated_at, candidate, settings, plan, progress, report, last_seq, turn_count';
const messageColumns = 'session_id, seq, type, reply_to, timestamp, data';
const turnColumns =
  'session_id, turn, input_id, input_kind, candidate_text, reply, follow_up, cancelled, created_at';

function prepareStatements(db: Database.Database) {
  return {
    selectSession: db.prepare<[string], SessionRow>(`SELECT ${sessionColumns} FROM sessions WHERE id = ?`),
    insertSession: db.prepare<SessionRow>(
      `INSERT INTO sessions (${sessionColumns})
       VALUES (@id, @created_at, @updated_at, @candidate, @settings, @plan, @progress, @report, @last_seq, @turn_count)
       ON CONFLICT (id) DO NOTHING`,
    ),
    updateSession: db.prepare<SessionRow>(
      `UPDATE sessions SET updated_at = @updated_at, candidate = @candidate, settings = @settings, plan = @plan,
         progress = @progress, report = @report, last_seq = @last_seq, turn_count = @turn_count
       WHERE id = @id`,
    ),
    insertMessage: db.prepare<MessageRow>(
      `INSERT INTO messages (${messageColumns}) VALUES (@session_id, @seq, @type, @reply_to, @timestamp, @data)`,
    ),
    insertTurn: db.prepare<TurnRow>(
      `INSERT INTO turns (${turnColumns}) VALUES (@session_id, @turn, @input_id, @input_kind, @candidate_text,
         @reply, @follow_up, @cancelled, @created_at)`,
    ),
    // LIMIT -1 is SQLite for "no limit"
    messagesAfter: db.prepare<[string, number, number], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    messagesForInput: db.prepare<[string, string], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE session_id = ? AND reply_to = ? ORDER BY seq`,
    ),
    turns: db.prepare<[string], TurnRow>(`SELECT ${turnColumns} FROM turns WHERE session_id = ? ORDER BY turn`),
    listSessions: db.prepare<[number, number], SessionRow>(
      `SELECT ${sessionColumns} FROM sessions ORDER BY created_at DESC, id ASC LIMIT ? OFFSET ?`,
    ),
    countSessions: db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM sessions'),
    // messages and turns go with their session through ON DELETE CASCADE
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE id = ?'),
    purgeSessions: db.prepare<[string]>('DELETE FROM sessions WHERE updated_at < ?'),
    selectSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    insertSetting: db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
    ),
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * The SessionStore on one SQLite file (better-sqlite3, WAL). The methods are async for the interface's
 * sake but run synchronously, each in one transaction; writes use BEGIN IMMEDIATE so a second process on
 * the same file waits on busy_timeout instead of failing when its read lock cannot be upgraded.
 */
export class SqliteSessionStore implements SessionStore {
  readonly kind = 'sqlite';
  readonly path: string;
  readonly #db: Database.Database;
  readonly #statements: Statements;
  /** One transaction wrapper for every write; `.immediate` takes the write lock at BEGIN. */
  readonly #transaction: Database.Transaction<(work: () => unknown) => unknown>;
  readonly #now: () => Date;

  /**
   * Opens (creating if needed) the database at `path`, its parent directory included, and migrates it.
   * `:memory:` gives a private in-memory database (no WAL; for tests).
   */
  static open(path: string, options: SqliteSessionStoreOptions = {}): SqliteSessionStore {
    const inMemory = path === ':memory:' || path === '';
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      // these pragmas cannot change inside a transaction, so they come before the migrations
      if (!inMemory) {
        const mode = db.pragma('journal_mode = WAL', { simple: true });
        if (mode !== 'wal') throw new Error(`could not switch ${path} to WAL (journal_mode is ${String(mode)})`);
      }
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      db.pragma('foreign_keys = ON');
      migrateSqlite(db);
      return new SqliteSessionStore(path, db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(path: string, db: Database.Database, options: SqliteSessionStoreOptions) {
    this.path = path;
    this.#db = db;
    this.#statements = prepareStatements(db);
    this.#transaction = db.transaction((work: () => unknown) => work());
    this.#now = options.now ?? (() => new Date());
  }

  async createSession(init: {
    id: string;
    candidate?: Candidate;
    settings?: InterviewSettingsInput;
  }): Promise<{ session: SessionRecord; created: boolean }> {
    return this.#write(() => {
      const record = newSessionRecord(init, this.#timestamp());
      const created = this.#statements.insertSession.run(sessionToRow(record)).changes === 1;
      return { session: created ? record : this.#requireRow(init.id), created };
    });
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.#statements.selectSession.get(id);
    return row === undefined ? null : sessionFromRow(row);
  }

  async updateSession(id: string, patch: SessionPatch): Promise<SessionRecord> {
    return this.#write(() => {
      const record = applyPatch(this.#requireRow(id), patch, this.#timestamp());
      this.#statements.updateSession.run(sessionToRow(record));
      return record;
    });
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    return this.#write(() => {
      // a TurnSequenceError thrown here rolls the whole transaction back: nothing of the commit is stored
      const plan = planCommit(this.#requireRow(request.session_id), request, this.#timestamp());
      for (const message of plan.messages) this.#statements.insertMessage.run(messageToRow(message));
      if (plan.turn !== null) this.#statements.insertTurn.run(turnToRow(plan.session.id, plan.turn));
      this.#statements.updateSession.run(sessionToRow(plan.session));
      return { session: plan.session, messages: plan.messages };
    });
  }

  async messagesAfter(sessionId: string, afterSeq: number, limit?: number): Promise<DurableMessage[]> {
    const rows = this.#statements.messagesAfter.all(sessionId, afterSeq, normalizeLimit(limit) ?? -1);
    return rows.map(messageFromRow);
  }

  async messagesForInput(sessionId: string, inputId: string): Promise<DurableMessage[]> {
    return this.#statements.messagesForInput.all(sessionId, inputId).map(messageFromRow);
  }

  async turns(sessionId: string): Promise<StoredTurn[]> {
    return this.#statements.turns.all(sessionId).map(turnFromRow);
  }

  async listSessions(options: { limit: number; offset: number }): Promise<SessionRecord[]> {
    const limit = normalizeLimit(options.limit) ?? -1;
    return this.#statements.listSessions.all(limit, normalizeOffset(options.offset)).map(sessionFromRow);
  }

  async countSessions(): Promise<number> {
    return this.#statements.countSessions.get()?.count ?? 0;
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.#write(() => this.#statements.deleteSession.run(id).changes > 0);
  }

  async purgeSessionsBefore(cutoff: Date): Promise<number> {
    // `changes` counts only the sessions rows, not the cascaded messages and turns
    return this.#write(() => this.#statements.purgeSessions.run(cutoff.toISOString()).changes);
  }

  async getOrCreateSetting(key: string, create: () => string): Promise<string> {
    return this.#write(() => {
      const existing = this.#statements.selectSetting.get(key);
      if (existing !== undefined) return existing.value;
      const value = create();
      this.#statements.insertSetting.run(key, value);
      return value;
    });
  }

  async ping(): Promise<void> {
    if (this.#statements.ping.get()?.ok !== 1) throw new Error('sqlite did not answer SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #write<T>(work: () => T): T {
    // the wrapper returns what `work` returned; its type is lost only through better-sqlite3's typings
    return this.#transaction.immediate(work) as T;
  }

  #timestamp(): string {
    return this.#now().toISOString();
  }

  #requireRow(id: string): SessionRecord {
    const row = this.#statements.selectSession.get(id);
    if (row === undefined) throw new VivaError('SESSION_NOT_FOUND', undefined, { details: { session_id: id } });
    return sessionFromRow(row);
  }
}
