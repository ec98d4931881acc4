import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
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
import type { AnswerRecord } from '../../interview/interview-types.js';
import { deepFreeze } from '../../interview/deep-freeze.js';
import { applyPatch, erasedSessionError, newSessionRecord, normalizeLimit, normalizeOffset, planCommit } from '../session-records.js';
import {
  messageFromRow,
  messageToRow,
  sessionFromRow,
  sessionToRow,
  turnFromRow,
  type MessageRow,
  type SessionRow,
  type TurnRow,
} from '../session-rows.js';
import { isTransientPostgresError, storeUnavailable } from './postgres-errors.js';
import { migratePostgres } from './postgres-migrations.js';
import { PostgresRecruiting } from './postgres-recruiting.js';
import type { InterviewTemplate, SessionSearch, TemplatePatch, TemplateSummary } from '../../interview/interview-templates.js';
import { timestampsOf } from '@viva/protocol/timestamps.js';

export interface PostgresSessionStoreOptions {
  /** Connections in the pool. @default 10 */
  poolSize?: number;
  /**
   * Longest wait for a connection, new or from the busy pool, in milliseconds; past it the call fails with
   * a retryable error instead of hanging while the database is unreachable. @default 5000
   */
  connectTimeoutMs?: number;
  /**
   * Longest run of one statement, lock waits included, in milliseconds (server-side statement_timeout;
   * the client gives up a little later in case the server itself stops answering). @default 10000
   */
  statementTimeoutMs?: number;
  /** The clock for created_at, updated_at and turn timestamps. @default () => new Date() */
  now?: () => Date;
  /** Told about errors of idle pooled connections (the pool drops them and reconnects on demand). */
  onIdleError?: (error: Error) => void;
}

/** timestamptz as the ISO 8601 UTC text with milliseconds that the records carry. */
function iso(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
}

// the answer records (progress.records) have rows of their own (migration 5); a session is read with them
const sessionColumns = `id, ${iso('created_at')}, ${iso('updated_at')}, candidate, settings, plan, progress, report, last_seq, turn_count, template_id,
  ARRAY(SELECT data FROM progress_records WHERE progress_records.session_id = sessions.id ORDER BY position) AS records`;

/** A sessions row as selected with sessionColumns: the answer records' JSON texts, in order, beside it. */
type SessionRowWithRecords = SessionRow & { records: string[] };

/**
 * The JSON text stored for each answer record this store handed out or wrote. Records are handed out
 * frozen, so an unchanged answer that comes back in a commit (the engines copy only the answer a turn
 * changes) is known, with its text, without serialising it again; only answers that differ are written.
 */
const storedRecordJson = new WeakMap<object, string>();

function recordFromText(text: string): AnswerRecord {
  const record = deepFreeze(JSON.parse(text) as AnswerRecord);
  storedRecordJson.set(record, text);
  return record;
}

function recordFromRow(row: SessionRowWithRecords): SessionRecord {
  const record = sessionFromRow(row);
  return { ...record, progress: { ...record.progress, records: row.records.map(recordFromText) } };
}

/** The row to write: the progress column without the answer records, which have rows of their own. */
function rowToWrite(record: SessionRecord): SessionRow {
  const { records: _records, ...progress } = record.progress;
  return { ...sessionToRow(record), progress: JSON.stringify(progress) };
}

/**
 * The answer records of `records` whose JSON differs from the stored texts `stored` (positions and
 * texts, for an upsert), and how many rows there are to keep: rows from that position on are deleted.
 */
function changedRecords(records: readonly AnswerRecord[], stored: readonly string[]): { positions: number[]; texts: string[]; keep: number } {
  const positions: number[] = [];
  const texts: string[] = [];
  records.forEach((record, position) => {
    const known = storedRecordJson.get(record);
    if (known !== undefined && known === stored[position]) return;
    const text = known ?? JSON.stringify(record);
    if (text === stored[position]) return;
    positions.push(position);
    texts.push(text);
  });
  return { positions, texts, keep: records.length };
}

/** Freezes the answer records of a record just written and remembers their texts (see storedRecordJson). */
function rememberWritten(record: SessionRecord): SessionRecord {
  const records = record.progress.records.map((answer) => {
    if (storedRecordJson.has(answer)) return answer;
    const text = JSON.stringify(answer);
    const frozen = deepFreeze(answer);
    storedRecordJson.set(frozen, text);
    return frozen;
  });
  return { ...record, progress: { ...record.progress, records } };
}

/** Writes the changed answer records and drops the rows past the last one, in the caller's transaction. */
const recordWrites = `
  WITH upserted AS (
    INSERT INTO progress_records (session_id, position, data)
    SELECT $1::text, position, data FROM unnest($2::integer[], $3::text[]) AS r (position, data)
    ON CONFLICT (session_id, position) DO UPDATE SET data = excluded.data
  )
  DELETE FROM progress_records WHERE session_id = $1::text AND position >= $4::integer`;
const messageColumns = 'session_id, seq, type, reply_to, timestamp, data';
const turnColumns = `session_id, turn, input_id, input_kind, candidate_text, reply, follow_up, cancelled, ${iso('created_at')}`;

/**
 * PostgreSQL text cannot hold U+0000 (the server refuses the whole statement). JSON columns are safe,
 * since JSON.stringify writes it as the escape `\u0000`; the plain text columns (an input's `id` and
 * `reply_to`, the candidate's text and the reply in `turns`) drop it. The store applies this before
 * numbering a commit, so what a commit returns is exactly what was stored and what a replay sends.
 */
export function withoutNul<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' && text.includes('\u0000') ? text.replaceAll('\u0000', '') : text) as T;
}

function withoutNulInRequest(request: CommitRequest): CommitRequest {
  return {
    ...request,
    messages: request.messages.map((message) =>
      message.reply_to === undefined ? message : { ...message, reply_to: withoutNul(message.reply_to) },
    ),
    ...(request.turn === undefined
      ? {}
      : {
          turn: {
            ...request.turn,
            input_id: withoutNul(request.turn.input_id),
            candidate_text: withoutNul(request.turn.candidate_text),
            reply: withoutNul(request.turn.reply),
          },
        }),
  };
}

/**
 * Every write of a commit in one statement: the messages (as parallel arrays through unnest), the turn
 * (only when $7 is given), the answer records that changed (and none past the last) and the session row. Casts are spelled out because PostgreSQL does not infer
 * parameter types from an INSERT … SELECT's target columns.
 */
const commitWrites = `
  WITH inserted_messages AS (
    INSERT INTO messages (session_id, seq, type, reply_to, timestamp, data)
    SELECT $1, seq, type, reply_to, timestamp, data
    FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS m (seq, type, reply_to, timestamp, data)
  ), inserted_turn AS (
    INSERT INTO turns (session_id, turn, input_id, input_kind, candidate_text, reply, follow_up, cancelled, created_at)
    SELECT $1, $7::integer, $8::text, $9::text, $10::text, $11::text, $12::boolean, $13::boolean, $14::timestamptz
    WHERE $7::integer IS NOT NULL
  ), upserted_records AS (
    INSERT INTO progress_records (session_id, position, data)
    SELECT $1, position, data FROM unnest($22::integer[], $23::text[]) AS r (position, data)
    ON CONFLICT (session_id, position) DO UPDATE SET data = excluded.data
  ), deleted_records AS (
    DELETE FROM progress_records WHERE session_id = $1 AND position >= $24::integer
  )
  UPDATE sessions SET updated_at = $14::timestamptz, candidate = $15, settings = $16, plan = $17, progress = $18,
    report = $19, last_seq = $20, turn_count = $21
  WHERE id = $1`;

/**
 * The SessionStore on PostgreSQL, for several gateway nodes sharing one database. A commit locks the
 * session row (SELECT … FOR UPDATE) before it reads last_seq, so commits to one session from any number of
 * nodes are serialized by the database and their seqs are gap-free and unique; the numbering itself is
 * the shared `planCommit`. Every call is bounded (connect, statement and client read timeouts); when the
 * database is unreachable a call fails with a retryable INTERNAL_ERROR instead of hanging.
 */
export class PostgresSessionStore implements SessionStore {
  readonly kind = 'postgres';
  readonly #pool: Pool;
  /** The clock's time for created_at, updated_at and turns; without a clock of the caller's, made once per millisecond. */
  readonly #timestamp: () => string;
  readonly #recruiting: PostgresRecruiting;
  #closed = false;

  /** Connects, runs the migrations (under an advisory lock, see migratePostgres) and returns the store. */
  static async open(url: string, options: PostgresSessionStoreOptions = {}): Promise<PostgresSessionStore> {
    const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      statement_timeout: statementTimeoutMs,
      // the server may be the one that stopped answering; then only a client-side timeout ends the wait
      query_timeout: statementTimeoutMs + 2_000,
      // a node that dies inside a transaction must not keep the session row locked for long
      idle_in_transaction_session_timeout: 30_000,
      keepAlive: true,
      application_name: 'viva',
    });
    // an idle pooled connection whose server went away emits here; without a listener it would crash
    // the process. The pool has already dropped it and opens a new one on the next query.
    pool.on('error', (error) => options.onIdleError?.(error));
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client);
      } finally {
        client.release();
      }
      return new PostgresSessionStore(pool, options);
    } catch (error) {
      await pool.end().catch(() => undefined);
      // at start, name the service: "connect ECONNREFUSED" alone does not say which one (the URL is left
      // out, it may hold a password)
      if (isTransientPostgresError(error)) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`PostgreSQL (DATABASE_URL) did not answer: ${reason}`, { cause: error });
      }
      throw error;
    }
  }

  private constructor(pool: Pool, options: PostgresSessionStoreOptions) {
    this.#pool = pool;
    this.#timestamp = timestampsOf(options.now);
    this.#recruiting = new PostgresRecruiting((text, values) => this.#query(text, values), sessionColumns);
  }

  async createSession(init: NewSession): Promise<{ session: SessionRecord; created: boolean }> {
    const record = newSessionRecord(init, this.#timestamp());
    // a new session has no answer records: nothing to write beside the row
    const row = rowToWrite(record);
    // the tombstone check is in the same statement, so an erase committed before it is always seen
    const inserted = await this.#query(
      `INSERT INTO sessions (id, created_at, updated_at, candidate, settings, plan, progress, report, last_seq, turn_count, template_id)
       SELECT $1::text, $2::timestamptz, $3::timestamptz, $4::text, $5::text, $6::text, $7::text, $8::text, $9::bigint, $10::integer, $11::text
       WHERE NOT EXISTS (SELECT 1 FROM erased_sessions WHERE id = $1)
       ON CONFLICT (id) DO NOTHING`,
      [row.id, row.created_at, row.updated_at, row.candidate, row.settings, row.plan, row.progress, row.report, row.last_seq, row.turn_count, row.template_id],
    );
    if (inserted.rowCount === 1) return { session: record, created: true };
    const existing = await this.getSession(init.id);
    // not inserted and not there: it was erased (before, or a moment ago)
    if (existing === null) throw erasedSessionError(init.id);
    return { session: existing, created: false };
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const { rows } = await this.#query<SessionRowWithRecords>(`SELECT ${sessionColumns} FROM sessions WHERE id = $1`, [id]);
    const row = rows[0];
    return row === undefined ? null : recordFromRow(row);
  }

  async updateSession(id: string, patch: SessionPatch): Promise<SessionRecord> {
    const written = await this.#transaction(async (client) => {
      const current = await this.#lockSession(client, id);
      const record = applyPatch(current.record, patch, this.#timestamp());
      const row = rowToWrite(record);
      await client.query(
        prepared(`UPDATE sessions SET updated_at = $2, candidate = $3, settings = $4, plan = $5, progress = $6, report = $7
         WHERE id = $1`,
        [id, row.updated_at, row.candidate, row.settings, row.plan, row.progress, row.report]),
      );
      const changed = changedRecords(record.progress.records, current.storedRecords);
      await client.query(prepared(recordWrites, [id, changed.positions, changed.texts, changed.keep]));
      return record;
    });
    return rememberWritten(written);
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const clean = withoutNulInRequest(request);
    const committed = await this.#transaction(async (client) => {
      const current = await this.#lockSession(client, clean.session_id);
      // a TurnSequenceError thrown here rolls the transaction back: nothing of the commit is stored
      const plan = planCommit(current.record, clean, this.#timestamp());
      const messages = plan.messages.map(messageToRow);
      const session = rowToWrite(plan.session);
      const records = changedRecords(plan.session.progress.records, current.storedRecords);
      const turn = plan.turn;
      await client.query(prepared(commitWrites, [
        plan.session.id,
        messages.map((message) => message.seq),
        messages.map((message) => message.type),
        messages.map((message) => message.reply_to),
        messages.map((message) => message.timestamp),
        messages.map((message) => message.data),
        turn?.turn ?? null,
        turn?.input_id ?? null,
        turn?.input_kind ?? null,
        turn?.candidate_text ?? null,
        turn?.reply ?? null,
        turn?.follow_up ?? null,
        turn?.cancelled ?? null,
        session.updated_at,
        session.candidate,
        session.settings,
        session.plan,
        session.progress,
        session.report,
        session.last_seq,
        session.turn_count,
        records.positions,
        records.texts,
        records.keep,
      ]));
      const advanced = clean.pending_input;
      if (advanced !== undefined) {
        await (advanced.transcript === undefined
          ? client.query('DELETE FROM pending_inputs WHERE session_id = $1 AND id = $2', [plan.session.id, advanced.id])
          : client.query("UPDATE pending_inputs SET transcript = $1, audio = ''::bytea WHERE session_id = $2 AND id = $3", [
              withoutNul(advanced.transcript),
              plan.session.id,
              advanced.id,
            ]));
      }
      return { session: plan.session, messages: plan.messages };
    });
    return { session: rememberWritten(committed.session), messages: committed.messages };
  }

  async messagesAfter(sessionId: string, afterSeq: number, limit?: number): Promise<DurableMessage[]> {
    const { rows } = await this.#query<MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      // LIMIT NULL is PostgreSQL for "no limit"
      [sessionId, Math.floor(afterSeq), normalizeLimit(limit) ?? null],
    );
    return rows.map(messageFromRow);
  }

  async messagesForInput(sessionId: string, inputId: string): Promise<DurableMessage[]> {
    const { rows } = await this.#query<MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE session_id = $1 AND reply_to = $2 ORDER BY seq`,
      [sessionId, withoutNul(inputId)],
    );
    return rows.map(messageFromRow);
  }

  async turns(sessionId: string): Promise<StoredTurn[]> {
    const { rows } = await this.#query<TurnRow>(
      `SELECT ${turnColumns}, heard_text, interrupted FROM turns WHERE session_id = $1 ORDER BY turn`,
      [sessionId],
    );
    return rows.map(turnFromRow);
  }

  async addPendingInput(input: NewPendingInput): Promise<void> {
    await this.#query(
      `INSERT INTO pending_inputs (session_id, id, audio, duration_ms, language, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [input.session_id, input.id, input.audio, Math.max(0, Math.round(input.duration_ms)), withoutNul(input.language), this.#timestamp()],
    );
  }

  async pendingInputs(sessionId: string, withAudio = true): Promise<PendingInput[]> {
    const { rows } = await this.#query<PendingInput>(
      `SELECT session_id, id, ${withAudio ? 'audio' : "''::bytea AS audio"}, duration_ms, language, transcript, ${iso('created_at')}
       FROM pending_inputs WHERE session_id = $1 ORDER BY position`,
      [sessionId],
    );
    return rows;
  }

  async sessionsWithPendingInputs(limit: number): Promise<string[]> {
    const { rows } = await this.#query<{ session_id: string }>('SELECT DISTINCT session_id FROM pending_inputs LIMIT $1', [normalizeLimit(limit) ?? null]);
    return rows.map((row) => row.session_id);
  }

  async dropPendingInput(sessionId: string, id: string): Promise<boolean> {
    const result = await this.#query('DELETE FROM pending_inputs WHERE session_id = $1 AND id = $2', [sessionId, id]);
    return (result.rowCount ?? 0) > 0;
  }

  async markTurnHeard(sessionId: string, turn: number, heardText: string): Promise<boolean> {
    const result = await this.#query('UPDATE turns SET heard_text = $1, interrupted = true WHERE session_id = $2 AND turn = $3', [
      withoutNul(heardText),
      sessionId,
      turn,
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  async listSessions(options: { limit: number; offset: number }): Promise<SessionRecord[]> {
    const { rows } = await this.#query<SessionRowWithRecords>(
      `SELECT ${sessionColumns} FROM sessions ORDER BY sessions.created_at DESC, id ASC LIMIT $1 OFFSET $2`,
      [normalizeLimit(options.limit) ?? null, normalizeOffset(options.offset)],
    );
    return rows.map(recordFromRow);
  }

  async countSessions(): Promise<number> {
    const { rows } = await this.#query<{ count: number }>('SELECT count(*)::integer AS count FROM sessions');
    return rows[0]?.count ?? 0;
  }

  async deleteSession(id: string): Promise<boolean> {
    // messages and turns go with their session through ON DELETE CASCADE; the tombstone is written with it
    return this.#transaction(async (client) => {
      const result = await client.query('DELETE FROM sessions WHERE id = $1', [id]);
      const existed = (result.rowCount ?? 0) > 0;
      if (existed) {
        await client.query('INSERT INTO erased_sessions (id, erased_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, this.#timestamp()]);
      }
      return existed;
    });
  }

  async purgeSessionsBefore(cutoff: Date): Promise<number> {
    // one statement: the ids tombstoned are exactly those deleted, and both commit together
    const { rows } = await this.#query<{ count: number }>(
      `WITH purged AS (DELETE FROM sessions WHERE updated_at < $1 RETURNING id),
            tombstones AS (INSERT INTO erased_sessions (id, erased_at) SELECT id, $2 FROM purged ON CONFLICT (id) DO NOTHING)
       SELECT count(*)::integer AS count FROM purged`,
      [cutoff.toISOString(), this.#timestamp()],
    );
    return rows[0]?.count ?? 0;
  }

  async searchSessions(search: SessionSearch): Promise<SessionRecord[]> {
    return (await this.#recruiting.searchSessions(search)).map((row) => recordFromRow(row as SessionRowWithRecords));
  }

  async createTemplate(template: InterviewTemplate): Promise<InterviewTemplate> {
    return this.#recruiting.insert(template);
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
    return this.#recruiting.update(templateId, patch, this.#timestamp());
  }

  async deleteTemplate(templateId: string): Promise<boolean> {
    return this.#recruiting.delete(templateId);
  }

  async getOrCreateSetting(key: string, create: () => string): Promise<string> {
    const read = async () =>
      (await this.#query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0]?.value;
    const existing = await read();
    if (existing !== undefined) return existing;
    // two nodes starting together may both get here: the first insert wins and both return its value
    await this.#query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      key,
      withoutNul(create()),
    ]);
    const value = await read();
    if (value === undefined) throw new Error(`setting ${key} vanished right after it was written`);
    return value;
  }

  async ping(): Promise<void> {
    const { rows } = await this.#query<{ ok: number }>('SELECT 1 AS ok');
    if (rows[0]?.ok !== 1) throw new Error('postgres did not answer SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #query<R extends QueryResultRow = QueryResultRow>(text: string, values: unknown[] = []) {
    try {
      return await this.#pool.query<R>(prepared(text, values));
    } catch (error) {
      throw translate(error);
    }
  }

  /** Runs `work` in one transaction on one pooled connection; any throw rolls it back. */
  async #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw translate(error);
    }
    let broken: Error | undefined;
    // a checked-out client has no error listener of the pool's: without this one, a connection that dies
    // mid-transaction would emit an unhandled 'error' and take the process down (the query rejects too)
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isTransientPostgresError(error)) {
        // the connection may be dead: give it back as broken so the pool closes it instead of reusing it
        broken = error instanceof Error ? error : new Error(String(error));
      } else {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
      }
      throw translate(error);
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** The session, locked for this transaction, and the JSON texts of its stored answer records. */
  async #lockSession(client: PoolClient, id: string): Promise<{ record: SessionRecord; storedRecords: string[] }> {
    const { rows } = await client.query<SessionRowWithRecords>(prepared(`SELECT ${sessionColumns} FROM sessions WHERE id = $1 FOR UPDATE`, [id]));
    const row = rows[0];
    if (row === undefined) throw new VivaError('SESSION_NOT_FOUND', undefined, { details: { session_id: id } });
    return { record: recordFromRow(row), storedRecords: row.records };
  }
}

const statementNames = new Map<string, string>();

/**
 * The query as a named (prepared) statement: each pooled connection parses and plans it once, not on
 * every turn. The name is derived from the text, so the same text always has the same name.
 */
function prepared(text: string, values: unknown[]): QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `viva_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/** Unreachable or briefly unable database → retryable VivaError; everything else unchanged. */
function translate(error: unknown): unknown {
  return isTransientPostgresError(error) ? storeUnavailable(error) : error;
}
