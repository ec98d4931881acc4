 
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
import {
  applyPatch,
  cloneJson,
  compareForListing,
  erasedSessionError,
  newSessionRecord,
  normalizeLimit,
  normalizeOffset,
  planCommit,
} from '../session-records.js';
import type { InterviewTemplate, SessionSearch, TemplatePatch, TemplateSummary } from '../../interview/interview-templates.js';
import { matchesSearch, patchTemplate } from '../template-rows.js';
import { timestampsOf } from '@viva/protocol/timestamps.js';

interface StoredSession {
  record: SessionRecord;
  /** Index i holds seq i + 1: commit only ever appends. */
  messages: DurableMessage[];
  turns: StoredTurn[];
  /** Committed utterances whose turns are not stored yet, oldest first. */
  pending: PendingInput[];
}

export interface MemorySessionStoreOptions {
  /** The clock for created_at, updated_at and turn timestamps. @default () => new Date() */
  now?: () => Date;
}

/**
 * A SessionStore in process memory, for tests of other modules. It keeps the same promises as the SQL
 * adapters within one process: each method runs to completion without an await in between (so it is
 * atomic against concurrent calls), values are copied in and out through JSON, and a failed commit
 * changes nothing. Nothing survives the process.
 */
export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory';
  readonly #sessions = new Map<string, StoredSession>();
  /** Ids of erased sessions, which are never created again. */
  readonly #erased = new Set<string>();
  readonly #settings = new Map<string, string>();
  readonly #templates = new Map<string, InterviewTemplate>();
  /** The clock's time for created_at, updated_at and turns; without a clock of the caller's, made once per millisecond. */
  readonly #timestamp: () => string;
  #closed = false;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#timestamp = timestampsOf(options.now);
  }

  async createSession(init: NewSession): Promise<{ session: SessionRecord; created: boolean }> {
    this.#assertOpen();
    const existing = this.#sessions.get(init.id);
    if (existing !== undefined) return { session: cloneJson(existing.record), created: false };
    if (this.#erased.has(init.id)) throw erasedSessionError(init.id);
    const record = newSessionRecord(init, this.#timestamp());
    this.#sessions.set(init.id, { record, messages: [], turns: [], pending: [] });
    return { session: cloneJson(record), created: true };
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    this.#assertOpen();
    const stored = this.#sessions.get(id);
    return stored === undefined ? null : cloneJson(stored.record);
  }

  async updateSession(id: string, patch: SessionPatch): Promise<SessionRecord> {
    const stored = this.#require(id);
    stored.record = applyPatch(stored.record, patch, this.#timestamp());
    return cloneJson(stored.record);
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    const stored = this.#require(request.session_id);
    // planCommit throws before anything below mutates the stored session
    const plan = planCommit(stored.record, request, this.#timestamp());
    stored.messages.push(...plan.messages);
    if (plan.turn !== null) stored.turns.push(plan.turn);
    stored.record = plan.session;
    const advanced = request.pending_input;
    if (advanced !== undefined) {
      const index = stored.pending.findIndex((input) => input.id === advanced.id);
      const input = stored.pending[index];
      if (input !== undefined && advanced.transcript !== undefined) stored.pending[index] = { ...input, audio: Buffer.alloc(0), transcript: advanced.transcript };
      else if (input !== undefined) stored.pending.splice(index, 1);
    }
    return { session: cloneJson(plan.session), messages: cloneJson(plan.messages) };
  }

  async messagesAfter(sessionId: string, afterSeq: number, limit?: number): Promise<DurableMessage[]> {
    this.#assertOpen();
    const messages = this.#sessions.get(sessionId)?.messages ?? [];
    const start = Math.max(0, Math.floor(afterSeq));
    const count = normalizeLimit(limit);
    return cloneJson(messages.slice(start, count === undefined ? undefined : start + count));
  }

  async messagesForInput(sessionId: string, inputId: string): Promise<DurableMessage[]> {
    this.#assertOpen();
    const messages = this.#sessions.get(sessionId)?.messages ?? [];
    return cloneJson(messages.filter((message) => message.reply_to === inputId));
  }

  async turns(sessionId: string): Promise<StoredTurn[]> {
    this.#assertOpen();
    return cloneJson(this.#sessions.get(sessionId)?.turns ?? []);
  }

  async addPendingInput(input: NewPendingInput): Promise<void> {
    const stored = this.#require(input.session_id);
    if (stored.pending.some((pending) => pending.id === input.id)) throw new Error(`pending input ${input.id} exists already`);
    stored.pending.push({
      ...input,
      audio: Buffer.from(input.audio),
      duration_ms: Math.max(0, Math.round(input.duration_ms)),
      transcript: null,
      created_at: this.#timestamp(),
    });
  }

  async pendingInputs(sessionId: string, withAudio = true): Promise<PendingInput[]> {
    this.#assertOpen();
    const pending = this.#sessions.get(sessionId)?.pending ?? [];
    return pending.map((input) => ({ ...input, audio: withAudio ? Buffer.from(input.audio) : Buffer.alloc(0) }));
  }

  async sessionsWithPendingInputs(limit: number): Promise<string[]> {
    this.#assertOpen();
    const ids = [...this.#sessions].filter(([, stored]) => stored.pending.length > 0).map(([id]) => id);
    return ids.slice(0, normalizeLimit(limit));
  }

  async dropPendingInput(sessionId: string, id: string): Promise<boolean> {
    this.#assertOpen();
    const pending = this.#sessions.get(sessionId)?.pending;
    const index = pending?.findIndex((input) => input.id === id) ?? -1;
    if (pending === undefined || index < 0) return false;
    pending.splice(index, 1);
    return true;
  }

  async markTurnHeard(sessionId: string, turn: number, heardText: string): Promise<boolean> {
    this.#assertOpen();
    const stored = this.#sessions.get(sessionId)?.turns.find((candidate) => candidate.turn === turn);
    if (stored === undefined) return false;
    stored.heard_text = heardText;
    stored.interrupted = true;
    return true;
  }

  async listSessions(options: { limit: number; offset: number }): Promise<SessionRecord[]> {
    this.#assertOpen();
    const offset = normalizeOffset(options.offset);
    const limit = normalizeLimit(options.limit);
    const records = [...this.#sessions.values()].map((stored) => stored.record).sort(compareForListing);
    return cloneJson(records.slice(offset, limit === undefined ? undefined : offset + limit));
  }

  async countSessions(): Promise<number> {
    this.#assertOpen();
    return this.#sessions.size;
  }

  async deleteSession(id: string): Promise<boolean> {
    this.#assertOpen();
    const existed = this.#sessions.delete(id);
    if (existed) this.#erased.add(id);
    return existed;
  }

  async purgeSessionsBefore(cutoff: Date): Promise<number> {
    this.#assertOpen();
    const limit = cutoff.toISOString();
    let purged = 0;
    for (const [id, stored] of this.#sessions) {
      if (stored.record.updated_at < limit) {
        this.#sessions.delete(id);
        this.#erased.add(id);
        purged += 1;
      }
    }
    return purged;
  }

  async searchSessions(search: SessionSearch): Promise<SessionRecord[]> {
    this.#assertOpen();
    const limit = normalizeLimit(search.limit);
    const records = [...this.#sessions.values()]
      .map((stored) => stored.record)
      .filter((record) => matchesSearch(record, search))
      .sort(compareForListing);
    return cloneJson(records.slice(0, limit));
  }

  async createTemplate(template: InterviewTemplate): Promise<InterviewTemplate> {
    this.#assertOpen();
    const clash = [...this.#templates.values()].some(
      (stored) => stored.template_id === template.template_id || stored.invite === template.invite,
    );
    if (clash) throw new Error(`template ${template.template_id} or its invite key exists already`);
    this.#templates.set(template.template_id, cloneJson(template));
    return cloneJson(template);
  }

  async getTemplate(templateId: string): Promise<InterviewTemplate | null> {
    this.#assertOpen();
    const stored = this.#templates.get(templateId);
    return stored === undefined ? null : cloneJson(stored);
  }

  async findTemplateByInvite(invite: string): Promise<InterviewTemplate | null> {
    this.#assertOpen();
    const stored = [...this.#templates.values()].find((template) => template.invite === invite);
    return stored === undefined ? null : cloneJson(stored);
  }

  async listTemplates(): Promise<TemplateSummary[]> {
    this.#assertOpen();
    const templates = [...this.#templates.values()].sort((a, b) =>
      a.created_at !== b.created_at ? (a.created_at < b.created_at ? 1 : -1) : a.template_id < b.template_id ? -1 : 1,
    );
    const records = [...this.#sessions.values()].map((stored) => stored.record);
    return templates.map((template) => {
      const own = records.filter((record) => record.template_id === template.template_id);
      return {
        ...cloneJson(template),
        candidates: own.length,
        completed: own.filter((record) => record.progress.state === 'completed').length,
      };
    });
  }

  async updateTemplate(templateId: string, patch: TemplatePatch): Promise<InterviewTemplate | null> {
    this.#assertOpen();
    const stored = this.#templates.get(templateId);
    if (stored === undefined) return null;
    const next = patchTemplate(stored, patch, this.#timestamp());
    this.#templates.set(templateId, cloneJson(next));
    return cloneJson(next);
  }

  async deleteTemplate(templateId: string): Promise<boolean> {
    this.#assertOpen();
    return this.#templates.delete(templateId);
  }

  async getOrCreateSetting(key: string, create: () => string): Promise<string> {
    this.#assertOpen();
    const existing = this.#settings.get(key);
    if (existing !== undefined) return existing;
    const value = create();
    this.#settings.set(key, value);
    return value;
  }

  async ping(): Promise<void> {
    this.#assertOpen();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(): void {
    // mirrors a closed database handle, so tests catch use-after-close with the memory store too
    if (this.#closed) throw new Error('session store is closed');
  }

  #require(id: string): StoredSession {
    this.#assertOpen();
    const stored = this.#sessions.get(id);
    if (stored === undefined) throw new VivaError('SESSION_NOT_FOUND', undefined, { details: { session_id: id } });
    return stored;
  }
}
