import type Database from 'better-sqlite3';
import type { CommitRequest, NewPendingInput, PendingInput } from '../../interview/session-store.js';

/** A row of pending_inputs: its columns are the record's fields. */
type PendingInputRow = PendingInput;

const columns = 'session_id, id, audio, duration_ms, language, transcript, created_at';
// the same row without its audio: an existence check should not read megabytes
const columnsWithoutAudio = "session_id, id, x'' AS audio, duration_ms, language, transcript, created_at";

/** The statements on pending_inputs (migration 6); see PendingInput in session-store.ts. */
export function preparePendingInputStatements(db: Database.Database) {
  const statements = {
    insert: db.prepare<PendingInputRow>(
      `INSERT INTO pending_inputs (${columns}) VALUES (@session_id, @id, @audio, @duration_ms, @language, @transcript, @created_at)`,
    ),
    withAudio: db.prepare<[string], PendingInputRow>(`SELECT ${columns} FROM pending_inputs WHERE session_id = ? ORDER BY rowid`),
    withoutAudio: db.prepare<[string], PendingInputRow>(`SELECT ${columnsWithoutAudio} FROM pending_inputs WHERE session_id = ? ORDER BY rowid`),
    sessions: db.prepare<[number], string>('SELECT DISTINCT session_id FROM pending_inputs LIMIT ?').pluck(),
    transcribed: db.prepare<[string, string, string]>("UPDATE pending_inputs SET transcript = ?, audio = x'' WHERE session_id = ? AND id = ?"),
    remove: db.prepare<[string, string]>('DELETE FROM pending_inputs WHERE session_id = ? AND id = ?'),
  };
  return {
    add(input: NewPendingInput, createdAt: string): void {
      statements.insert.run({ ...input, duration_ms: Math.max(0, Math.round(input.duration_ms)), transcript: null, created_at: createdAt });
    },
    list(sessionId: string, withAudio: boolean): PendingInput[] {
      return (withAudio ? statements.withAudio : statements.withoutAudio).all(sessionId).map((row) => ({ ...row, audio: Buffer.from(row.audio) }));
    },
    sessions(limit: number): string[] {
      return statements.sessions.all(limit);
    },
    drop(sessionId: string, id: string): boolean {
      return statements.remove.run(sessionId, id).changes > 0;
    },
    /** Inside a commit's savepoint: the pending input it advances (CommitRequest.pending_input). */
    advance(sessionId: string, advanced: NonNullable<CommitRequest['pending_input']>): void {
      if (advanced.transcript !== undefined) statements.transcribed.run(advanced.transcript, sessionId, advanced.id);
      else statements.remove.run(sessionId, advanced.id);
    },
  };
}

export type PendingInputStatements = ReturnType<typeof preparePendingInputStatements>;
