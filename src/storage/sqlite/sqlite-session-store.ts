 
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  CommitRequest,
  CommitResult,
  NewPendingInput,
  NewSession,
  PendingInput,
  SessionPatch,
  SessionRecord,
  SessionStore,
  StoredTurn,
} from '../../interview/session-store.js';
import type { DurableMessage } from '@viva/protocol/server-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { HotSessionCache, type HotSession } from '../hot-session-cache.js';
import { deepFreeze } from '../../interview/deep-freeze.js';
import { TurnSequenceError, applyPatch, erasedSessionError, newSessionRecord, normalizeLimit, normalizeOffset, planCommit } from '../session-records.js';
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
import type { AnswerRecord, InterviewProgress } from '../../interview/interview-types.js';
import { GroupCommit } from './group-commit.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { preparePendingInputStatements, type PendingInputStatements } from './sqlite-pending-inputs.js';
import { prepareRecruitingStatements, type RecruitingStatements } from './sqlite-recruiting.js';
import type { InterviewTemplate, SessionSearch, TemplatePatch, TemplateSummary } from '../../interview/interview-templates.js';
import { patchTemplate, templateToRow } from '../template-rows.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { timestampsOf } from '@viva/protocol/timestamps.js';

export interface SqliteSessionStoreOptions {
  /**
   * `NORMAL` (default, decision 0002) fsyncs only at checkpoints: a killed process (even SIGKILL) loses
   * nothing committed, because committed WAL frames are already in the OS page cache, but a power cut or
   * kernel crash may roll back the newest commits. `FULL` fsyncs the WAL at every commit, so those survive
   * too, at the price of a disk flush on the event loop per commit batch.
   * @default 'NORMAL'
   */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * How long a statement waits for another connection's lock before failing, in milliseconds. A group of
   * writes waits for the write lock without holding the event loop (group-commit.ts). @default 5000
   */
  busyTimeoutMs?: number;
  /** The clock for created_at, updated_at and turn timestamps. @default () => new Date() */
  now?: () => Date;
  /** Recently used sessions kept in memory (records, turns, input ids); 0 keeps none. @default 1000 */
  hotSessions?: number;
  /**
   * Checkpoint the WAL from a worker thread (wal-checkpointer.ts) instead of inside commits on the event
   * loop. Ignored for `:memory:`. @default false
   */
  checkpointInBackground?: boolean;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
// with the worker checkpointing, the writer's own autocheckpoint (pages) is only a backstop
const BACKSTOP_AUTOCHECKPOINT_PAGES = 20_000;

const sessionColumns =
  'id, created_at, updated_at, candidate, settings, plan, progress, report, last_seq, turn_count, template_id';
const messageColumns = 'session_id, seq, type, reply_to, timestamp, data';
const turnColumns =
  'session_id, turn, input_id, input_kind, candidate_text, reply, follow_up, cancelled, created_at';

function prepareStatements(db: Database.Database) {
  return {
    // a session is a row of sessions (what a turn changes, what lists search) and one of session_documents
    // (plan, settings, report: large and seldom written); the view session_rows joins them (migration 7)
    selectSession: db.prepare<[string], SessionRow>(`SELECT ${sessionColumns} FROM session_rows WHERE id = ?`),
    insertSession: db.prepare<SessionRow>(
      `INSERT INTO sessions (id, created_at, updated_at, candidate, progress, last_seq, turn_count, template_id)
       VALUES (@id, @created_at, @updated_at, @candidate, @progress, @last_seq, @turn_count, @template_id)
       ON CONFLICT (id) DO NOTHING`,
    ),
    insertDocuments: db.prepare<Pick<SessionRow, 'id' | 'settings' | 'plan' | 'report'>>(
      'INSERT INTO session_documents (session_id, settings, plan, report) VALUES (@id, @settings, @plan, @report)',
    ),
    updateSession: db.prepare<SessionRow>(
      `UPDATE sessions SET updated_at = @updated_at, candidate = @candidate, progress = @progress, last_seq = @last_seq,
         turn_count = @turn_count
       WHERE id = @id`,
    ),
    updateDocuments: db.prepare<Pick<SessionRow, 'id' | 'settings' | 'plan' | 'report'>>(
      'UPDATE session_documents SET settings = @settings, plan = @plan, report = @report WHERE session_id = @id',
    ),
    // a turn changes only these: the plan, candidate and settings stay as they were
    updateSessionProgress: db.prepare<Pick<SessionRow, 'id' | 'updated_at' | 'progress' | 'last_seq' | 'turn_count'>>(
      `UPDATE sessions SET updated_at = @updated_at, progress = @progress, last_seq = @last_seq, turn_count = @turn_count
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
    inputIds: db.prepare<[string], string>(
      'SELECT DISTINCT reply_to FROM messages WHERE session_id = ? AND reply_to IS NOT NULL',
    ).pluck(),
    turns: db.prepare<[string], TurnRow>(`SELECT ${turnColumns}, heard_text, interrupted FROM turns WHERE session_id = ? ORDER BY turn`),
    markTurnHeard: db.prepare<[string, string, number]>('UPDATE turns SET heard_text = ?, interrupted = 1 WHERE session_id = ? AND turn = ?'),
    listSessions: db.prepare<[number, number], SessionRow>(
      `SELECT ${sessionColumns} FROM session_rows ORDER BY created_at DESC, id ASC LIMIT ? OFFSET ?`,
    ),
    countSessions: db.prepare<[], { count: number }>('SELECT COUNT(*) AS count FROM sessions'),
    // messages and turns go with their session through ON DELETE CASCADE
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE id = ?'),
    insertErased: db.prepare<[string, string]>('INSERT INTO erased_sessions (id, erased_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING'),
    selectErased: db.prepare<[string], { id: string }>('SELECT id FROM erased_sessions WHERE id = ?'),
    purgeSessions: db.prepare<[string]>('DELETE FROM sessions WHERE updated_at < ?'),
    insertErasedBefore: db.prepare<[string, string]>(
      'INSERT INTO erased_sessions (id, erased_at) SELECT id, ? FROM sessions WHERE updated_at < ? ON CONFLICT (id) DO NOTHING',
    ),
    selectSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    insertSetting: db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
    ),
    // a session's answer records (progress.records), one row each (migrations 3 and 9)
    progressRecords: db.prepare<[string], string>('SELECT data FROM progress_records WHERE session_id = ? ORDER BY position').pluck(),
    upsertProgressRecord: db.prepare<[string, number, string]>(
      `INSERT INTO progress_records (session_id, position, data) VALUES (?, ?, ?)
       ON CONFLICT (session_id, position) DO UPDATE SET data = excluded.data`,
    ),
    deleteProgressRecordsFrom: db.prepare<[string, number]>('DELETE FROM progress_records WHERE session_id = ? AND position >= ?'),
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),
    // changes whenever another connection (another process on the file) commits; our own commits leave it
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** The progress column: everything but the answer records (stored in progress_records). */
function progressColumn(progress: InterviewProgress): string {
  const { records: _records, ...rest } = progress;
  return JSON.stringify(rest);
}

/** Whether two JSON-like values are equal, without serialising them. */
function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left)) {
    return Array.isArray(right) && left.length === right.length && left.every((item, index) => jsonEqual(item, right[index]));
  }
  if (Array.isArray(right)) return false;
  // JSON drops undefined properties, so they count as absent on either side
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  let leftCount = 0;
  for (const key of Object.keys(leftRecord)) {
    const value = leftRecord[key];
    if (value === undefined) continue;
    leftCount += 1;
    if (!jsonEqual(value, rightRecord[key])) return false;
  }
  let rightCount = 0;
  for (const key of Object.keys(rightRecord)) if (rightRecord[key] !== undefined) rightCount += 1;
  return leftCount === rightCount;
}

/**
 * The SessionStore on one SQLite file (better-sqlite3, WAL). Writes are grouped: those asked for in a
 * few turns of the event loop commit in one transaction (group-commit.ts), each in its own savepoint, and
 * resolve once committed. Recently used sessions stay in memory (hot-session-cache.ts), so a turn's reads
 * cost no query; PRAGMA data_version tells when another process wrote to the file, and the cache is then
 * dropped, so several processes on one file still see each other's writes (reads at most one turn of the
 * event loop late).
 */
export class SqliteSessionStore implements SessionStore {
  readonly kind = 'sqlite';
  readonly path: string;
  readonly #db: Database.Database;
  readonly #statements: Statements;
  readonly #recruiting: RecruitingStatements;
  readonly #pending: PendingInputStatements;
  readonly #writes: GroupCommit;
  readonly #hot: HotSessionCache;
  /** The clock's time for created_at, updated_at and turns; without a clock of the caller's, made once per millisecond. */
  readonly #timestamp: () => string;
  #dataVersion: number;
  #lookedThisTurn = false;

  /**
   * Opens (creating if needed) the database at `path`, its parent directory included, and migrates it.
   * `:memory:` gives a private in-memory database (no WAL; for tests).
   */
  static open(path: string, options: SqliteSessionStoreOptions = {}): SqliteSessionStore {
    const inMemory = path === ':memory:' || path === '';
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    try {
      // these pragmas cannot change inside a transaction, so they come before the migrations
      if (!inMemory) {
        const mode = db.pragma('journal_mode = WAL', { simple: true });
        if (mode !== 'wal') throw new Error(`could not switch ${path} to WAL (journal_mode is ${String(mode)})`);
      }
      db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      db.pragma('foreign_keys = ON');
      migrateSqlite(db);
      const checkpointer = options.checkpointInBackground === true && !inMemory ? new WalCheckpointer(path) : undefined;
      if (checkpointer) db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
      return new SqliteSessionStore(path, db, options, checkpointer);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private constructor(
    path: string,
    db: Database.Database,
    options: SqliteSessionStoreOptions,
    private readonly checkpointer: WalCheckpointer | undefined,
  ) {
    this.path = path;
    this.#db = db;
    this.#statements = prepareStatements(db);
    this.#recruiting = prepareRecruitingStatements(db, sessionColumns);
    this.#pending = preparePendingInputStatements(db);
    this.#hot = new HotSessionCache(options.hotSessions ?? 1000);
    this.#dataVersion = this.#statements.dataVersion.get() ?? 0;
    this.#writes = new GroupCommit(db, {
      beforeBatch: () => this.#noticeOtherWriters(true),
      // the cache may hold records of writes that were rolled back
      afterFailedBatch: () => this.#hot.clear(),
      // both are thrown by #load and planCommit, before a write's first statement
      failedBeforeWriting: (error) => error instanceof TurnSequenceError || (error instanceof VivaError && error.code === 'SESSION_NOT_FOUND'),
    }, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    this.#timestamp = timestampsOf(options.now);
  }

  async createSession(init: NewSession): Promise<{ session: SessionRecord; created: boolean }> {
    return this.#writes.run(() => {
      const existing = this.#hot.get(init.id);
      if (existing !== undefined) return { session: existing.record, created: false };
      if (this.#statements.selectErased.get(init.id) !== undefined) throw erasedSessionError(init.id);
      const record = newSessionRecord(init, this.#timestamp());
      const row = this.#sessionRow(record);
      const created = this.#statements.insertSession.run(row).changes === 1;
      if (created) {
        this.#statements.insertDocuments.run(row);
        // a new session has no rows of records to replace
        this.#writeProgressRecords(record, []);
      }
      return { session: created ? this.#hot.putNew(record).record : this.#load(init.id).record, created };
    });
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    this.#noticeOtherWriters();
    return this.#find(id)?.record ?? null;
  }

  async updateSession(id: string, patch: SessionPatch): Promise<SessionRecord> {
    return this.#writes.run(() => {
      const current = this.#load(id).record;
      const record = applyPatch(current, patch, this.#timestamp());
      this.#updateSessionRow(this.#sessionRow(record));
      this.#writeProgressRecords(record, current.progress.records);
      return this.#hot.putRecord(record).record;
    });
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    return this.#writes.run(() => {
      const current = this.#load(request.session_id);
      // a TurnSequenceError thrown here rolls the savepoint back: nothing of the commit is stored
      const plan = planCommit(current.record, request, this.#timestamp());
      for (const message of plan.messages) this.#statements.insertMessage.run(messageToRow(message));
      if (plan.turn !== null) this.#statements.insertTurn.run(turnToRow(plan.session.id, plan.turn));
      const { patch } = request;
      const onlyProgress = patch === undefined || Object.keys(patch).every((key) => key === 'progress');
      if (onlyProgress) {
        // the plan and the rest are unchanged: serializing them again on every turn is wasted work
        const { id, updated_at, progress, last_seq, turn_count } = plan.session;
        this.#statements.updateSessionProgress.run({ id, updated_at, progress: progressColumn(progress), last_seq, turn_count });
      } else {
        this.#updateSessionRow(this.#sessionRow(plan.session));
      }
      this.#writeProgressRecords(plan.session, current.record.progress.records);
      if (request.pending_input !== undefined) this.#pending.advance(plan.session.id, request.pending_input);
      // last: the cache changes only once every statement of the savepoint has succeeded
      const turns = current.turns;
      const inputIds = current.inputIds;
      const entry = this.#hot.putRecord(plan.session);
      if (turns !== undefined) entry.turns = plan.turn === null ? turns : [...turns, deepFreeze(plan.turn)];
      if (inputIds !== undefined) {
        for (const message of plan.messages) if (message.reply_to !== undefined) inputIds.add(message.reply_to);
        entry.inputIds = inputIds;
      }
      return { session: entry.record, messages: plan.messages };
    });
  }

  async messagesAfter(sessionId: string, afterSeq: number, limit?: number): Promise<DurableMessage[]> {
    const rows = this.#statements.messagesAfter.all(sessionId, afterSeq, normalizeLimit(limit) ?? -1);
    return rows.map(messageFromRow);
  }

  async messagesForInput(sessionId: string, inputId: string): Promise<DurableMessage[]> {
    this.#noticeOtherWriters();
    const entry = this.#find(sessionId);
    if (entry !== undefined) {
      // one query per session brought into memory answers "was this input answered?" from then on
      entry.inputIds ??= new Set(this.#statements.inputIds.all(sessionId));
      if (!entry.inputIds.has(inputId)) return [];
    }
    return this.#statements.messagesForInput.all(sessionId, inputId).map(messageFromRow);
  }

  async turns(sessionId: string): Promise<StoredTurn[]> {
    this.#noticeOtherWriters();
    const entry = this.#find(sessionId);
    if (entry === undefined) return [];
    entry.turns ??= this.#statements.turns.all(sessionId).map((row) => deepFreeze(turnFromRow(row)));
    // a fresh array: callers may sort or append; the turns themselves are frozen
    return [...entry.turns];
  }

  async addPendingInput(input: NewPendingInput): Promise<void> {
    return this.#writes.run(() => this.#pending.add(input, this.#timestamp()));
  }

  async pendingInputs(sessionId: string, withAudio = true): Promise<PendingInput[]> {
    return this.#pending.list(sessionId, withAudio);
  }

  async sessionsWithPendingInputs(limit: number): Promise<string[]> {
    return this.#pending.sessions(normalizeLimit(limit) ?? -1);
  }

  async dropPendingInput(sessionId: string, id: string): Promise<boolean> {
    return this.#writes.run(() => this.#pending.drop(sessionId, id));
  }

  async markTurnHeard(sessionId: string, turn: number, heardText: string): Promise<boolean> {
    return this.#writes.run(() => {
      const changed = this.#statements.markTurnHeard.run(heardText, sessionId, turn).changes > 0;
      const entry = this.#hot.get(sessionId);
      // the cached turns are frozen: read them again on next use
      if (changed && entry !== undefined) entry.turns = undefined;
      return changed;
    });
  }

  async listSessions(options: { limit: number; offset: number }): Promise<SessionRecord[]> {
    const limit = normalizeLimit(options.limit) ?? -1;
    return this.#statements.listSessions.all(limit, normalizeOffset(options.offset)).map((row) => this.#recordFromRow(row));
  }

  async countSessions(): Promise<number> {
    return this.#statements.countSessions.get()?.count ?? 0;
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.#writes.run(() => {
      this.#hot.delete(id);
      const existed = this.#statements.deleteSession.run(id).changes > 0;
      if (existed) this.#statements.insertErased.run(id, this.#timestamp());
      return existed;
    });
  }

  async purgeSessionsBefore(cutoff: Date): Promise<number> {
    return this.#writes.run(() => {
      this.#hot.clear();
      const before = cutoff.toISOString();
      // the tombstones first, in the same write transaction: no writer can come between the two
      this.#statements.insertErasedBefore.run(this.#timestamp(), before);
      // `changes` counts only the sessions rows, not the cascaded messages and turns
      return this.#statements.purgeSessions.run(before).changes;
    });
  }

  async searchSessions(search: SessionSearch): Promise<SessionRecord[]> {
    // a hot session is read from memory; the others from their rows, with their answer records
    return this.#recruiting.searchSessions(search).map((row) => this.#hot.get(row.id as string)?.record ?? this.#recordFromRow(row as unknown as SessionRow));
  }

  async createTemplate(template: InterviewTemplate): Promise<InterviewTemplate> {
    return this.#writes.run(() => {
      this.#recruiting.insert(template);
      return template;
    });
  }

  async getTemplate(templateId: string): Promise<InterviewTemplate | null> {
    return this.#recruiting.find(templateId);
  }

  async findTemplateByInvite(invite: string): Promise<InterviewTemplate | null> {
    return this.#recruiting.findByInvite(invite);
  }

  async listTemplates(): Promise<TemplateSummary[]> {
    return this.#recruiting.list();
  }

  async updateTemplate(templateId: string, patch: TemplatePatch): Promise<InterviewTemplate | null> {
    return this.#writes.run(() => {
      const current = this.#recruiting.find(templateId);
      if (current === null) return null;
      const next = patchTemplate(current, patch, this.#timestamp());
      this.#recruiting.updateTemplate.run(templateToRow(next));
      return next;
    });
  }

  async deleteTemplate(templateId: string): Promise<boolean> {
    return this.#writes.run(() => this.#recruiting.deleteTemplate.run(templateId).changes > 0);
  }

  async getOrCreateSetting(key: string, create: () => string): Promise<string> {
    return this.#writes.run(() => {
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
    if (!this.#db.open) return;
    // writes already asked for are stored, not dropped
    this.#writes.flush();
    this.#db.close();
    await this.checkpointer?.stop();
  }

  /** The session from memory, else from the database (then kept in memory); undefined when there is none. */
  #find(id: string): HotSession | undefined {
    const hot = this.#hot.get(id);
    if (hot !== undefined) return hot;
    const row = this.#statements.selectSession.get(id);
    return row === undefined ? undefined : this.#hot.putRecord(this.#recordFromRow(row));
  }

  #updateSessionRow(row: SessionRow): void {
    this.#statements.updateSession.run(row);
    this.#statements.updateDocuments.run(row);
  }

  /** The session row; its progress column without the answer records, which have rows of their own. */
  #sessionRow(record: SessionRecord): SessionRow {
    return { ...sessionToRow({ ...record, progress: { ...record.progress, records: [] } }), progress: progressColumn(record.progress) };
  }

  #recordFromRow(row: SessionRow): SessionRecord {
    const record = sessionFromRow(row);
    const records = this.#statements.progressRecords.all(row.id).map((data) => JSON.parse(data) as AnswerRecord);
    return { ...record, progress: { ...record.progress, records } };
  }

  /**
   * Writes the answer records that differ from `previous` (what is stored now; undefined when nothing is).
   * A turn changes the newest record or adds one; the rest come back as the very objects stored (frozen,
   * shared through the turn), so the comparison costs nothing for them and nothing is written for them.
   */
  #writeProgressRecords(record: SessionRecord, previous: readonly AnswerRecord[] | undefined): void {
    const next = record.progress.records;
    // an index, not entries(): that made a pair per answer, every turn, for every answer so far
    for (let position = 0; position < next.length; position += 1) {
      const answer = next[position];
      const stored = previous?.[position];
      if (answer === undefined || (stored !== undefined && (stored === answer || jsonEqual(stored, answer)))) continue;
      this.#statements.upsertProgressRecord.run(record.id, position, JSON.stringify(answer));
    }
    if (previous === undefined || previous.length > next.length) this.#statements.deleteProgressRecordsFrom.run(record.id, next.length);
  }

  #load(id: string): HotSession {
    const entry = this.#find(id);
    if (entry === undefined) throw new VivaError('SESSION_NOT_FOUND', undefined, { details: { session_id: id } });
    return entry;
  }

  /**
   * Drops the cache when another connection has committed since we last looked. Reads look once per turn
   * of the event loop (the pragma costs as much as a query); a batch of writes looks every time, with the
   * write lock held, so a write is never planned on a stale record.
   */
  #noticeOtherWriters(forWrite = false): void {
    if (!forWrite) {
      if (this.#lookedThisTurn) return;
      this.#lookedThisTurn = true;
      setImmediate(() => {
        this.#lookedThisTurn = false;
      });
    }
    const version = this.#statements.dataVersion.get() ?? 0;
    if (version === this.#dataVersion) return;
    this.#dataVersion = version;
    this.#hot.clear();
  }
}
