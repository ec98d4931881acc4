import { initialProgress } from '../interview/interview-types.js';
import type {
  CommitRequest,
  NewSession,
  SessionPatch,
  SessionRecord,
  StoredTurn,
  UnnumberedMessage,
} from '../interview/session-store.js';
import { rememberDataJson } from '@viva/protocol/message-json.js';
import { isDurableType, type DurableMessage } from '@viva/protocol/server-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';

/**
 * The rules every SessionStore adapter shares, free of any database: what a new session looks like, how a
 * patch applies, and how a commit numbers its messages. Adapters load the current record, call these, and
 * write the result in one transaction, so SQLite, PostgreSQL and memory cannot drift apart.
 */

/**
 * A commit named a turn that is not the session's next one (turn_count + 1): two writers raced, or a
 * caller lost track. Not a contract code; reported to clients as INTERNAL_ERROR.
 */
export class TurnSequenceError extends Error {
  readonly sessionId: string;
  readonly expectedTurn: number;
  readonly actualTurn: number;

  constructor(sessionId: string, expectedTurn: number, actualTurn: number) {
    super(`session ${sessionId}: turn ${actualTurn} does not follow turn_count ${expectedTurn - 1}`);
    this.name = 'TurnSequenceError';
    this.sessionId = sessionId;
    this.expectedTurn = expectedTurn;
    this.actualTurn = actualTurn;
  }
}

/**
 * A deep copy through JSON, the same path the SQL adapters take, so the memory adapter hands back exactly
 * what a database would (undefined properties dropped) and callers never alias stored state.
 */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * cloneJson, except that frozen parts are kept, not copied: a store that hands out frozen records (the
 * SQLite store's hot sessions) gets the unchanged answers of a long interview back as the same objects,
 * so a commit costs what its change costs, not what the whole interview costs. Frozen values cannot
 * change, so sharing them is as safe as copying them.
 */
export function cloneSharingFrozen<T>(value: T): T {
  return shareFrozen(value) as T;
}

function shareFrozen(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    // JSON writes non-finite numbers as null
    return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  if (Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    return value.map((item: unknown) => (item === undefined || typeof item === 'function' ? null : shareFrozen(item)));
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if ((prototype !== Object.prototype && prototype !== null) || 'toJSON' in value) return cloneJson(value);
  const copy: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  // keys, not entries: the same own enumerable keys in the same order, without a pair for each of them
  for (const key of Object.keys(source)) {
    const item = source[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    copy[key] = shareFrozen(item);
  }
  return copy;
}

export function newSessionRecord(
  init: NewSession,
  now: string,
): SessionRecord {
  return {
    id: init.id,
    created_at: now,
    updated_at: now,
    candidate: cloneJson(init.candidate ?? {}),
    settings: cloneJson(init.settings ?? {}),
    plan: null,
    progress: initialProgress(),
    report: null,
    last_seq: 0,
    turn_count: 0,
    template_id: init.template_id ?? null,
  };
}

/** The record with the patch's given fields replaced (undefined means "not given"; null clears). */
export function applyPatch(record: SessionRecord, patch: SessionPatch, now: string): SessionRecord {
  const next: SessionRecord = { ...record, updated_at: now };
  if (patch.candidate !== undefined) next.candidate = cloneJson(patch.candidate);
  if (patch.settings !== undefined) next.settings = cloneJson(patch.settings);
  // a planner's shared frozen plan is kept as it is, not copied per session
  if (patch.plan !== undefined) next.plan = cloneSharingFrozen(patch.plan);
  if (patch.progress !== undefined) next.progress = cloneSharingFrozen(patch.progress);
  if (patch.report !== undefined) next.report = cloneJson(patch.report);
  return next;
}

/** A durable message with its seq; `session_id` is always the session it is stored in. */
export function numberMessage(message: UnnumberedMessage, sessionId: string, seq: number): DurableMessage {
  // the type system only admits durable types, but a cast upstream could smuggle in a `status`
  const type: string = message.type;
  if (!isDurableType(type)) throw new TypeError(`message type ${type} is not durable`);
  const numbered: Record<string, unknown> = {
    type: message.type,
    session_id: sessionId,
    seq,
    timestamp: message.timestamp,
  };
  if (message.reply_to !== undefined) numbered.reply_to = message.reply_to;
  // serialised once: the row stores it and the connection sends it. The message's data is a copy parsed
  // from it, so callers never alias stored state; frozen data cannot change, and is kept as it is (as
  // cloneSharingFrozen keeps frozen parts)
  const json = JSON.stringify(message.data);
  numbered.data = Object.isFrozen(message.data) ? message.data : (JSON.parse(json) as unknown);
  rememberDataJson(numbered, json);
  return numbered as DurableMessage;
}

export interface CommitPlan {
  /** The session as it is after the commit. */
  session: SessionRecord;
  /** The messages to insert, numbered last_seq + 1, + 2, ... in request order. */
  messages: DurableMessage[];
  turn: StoredTurn | null;
}

/**
 * Everything a commit writes, computed from the session as read inside the adapter's transaction.
 * @throws TurnSequenceError when `request.turn` is not turn_count + 1 (the adapter must then write nothing)
 */
export function planCommit(current: SessionRecord, request: CommitRequest, now: string): CommitPlan {
  const requestTurn = request.turn;
  if (requestTurn !== undefined && requestTurn.turn !== current.turn_count + 1) {
    throw new TurnSequenceError(current.id, current.turn_count + 1, requestTurn.turn);
  }
  const messages = request.messages.map((message, index) =>
    numberMessage(message, current.id, current.last_seq + index + 1),
  );
  const session = applyPatch(current, request.patch ?? {}, now);
  session.last_seq = current.last_seq + messages.length;
  if (requestTurn !== undefined) session.turn_count = requestTurn.turn;
  const turn: StoredTurn | null =
    requestTurn === undefined
      ? null
      : {
          turn: requestTurn.turn,
          input_id: requestTurn.input_id,
          input_kind: requestTurn.input_kind,
          candidate_text: requestTurn.candidate_text,
          reply: requestTurn.reply,
          follow_up: requestTurn.follow_up,
          cancelled: requestTurn.cancelled,
          created_at: now,
        };
  return { session, messages, turn };
}

/**
 * A page size as a non-negative integer, or undefined for "no limit".
 * Negative or fractional values from callers are clamped rather than passed to a database.
 */
export function normalizeLimit(limit: number | undefined): number | undefined {
  if (limit === undefined || !Number.isFinite(limit)) return undefined;
  return Math.max(0, Math.floor(limit));
}

export function normalizeOffset(offset: number): number {
  return Number.isFinite(offset) ? Math.max(0, Math.floor(offset)) : 0;
}

/**
 * The order of listSessions in every adapter: newest created first, ties by id ascending, so pages are
 * stable while sessions are being updated.
 */
export function compareForListing(a: SessionRecord, b: SessionRecord): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** What every adapter throws for an id that was erased (see SessionStore.createSession). */
export function erasedSessionError(id: string): VivaError {
  return new VivaError('SESSION_NOT_FOUND', 'This session was erased. Start a new interview.', {
    details: { session_id: id, reason: 'erased' },
  });
}
