import type { SessionRecord, StoredTurn } from '../interview/session-store.js';
import { dataJsonOf } from '@viva/protocol/message-json.js';
import { isDurableType, type DurableMessage } from '@viva/protocol/server-messages.js';

/**
 * Row <-> record mapping for SQL adapters. JSON columns travel as text (SQLite TEXT; for PostgreSQL select
 * jsonb columns as `::text`, or use text columns) and booleans as 0/1 or true/false, so the same functions
 * serve both engines.
 */

export interface SessionRow {
  id: string;
  created_at: string;
  updated_at: string;
  candidate: string;
  settings: string;
  plan: string | null;
  progress: string;
  report: string | null;
  last_seq: number;
  turn_count: number;
  template_id: string | null;
}

export interface MessageRow {
  session_id: string;
  seq: number;
  type: string;
  reply_to: string | null;
  timestamp: string;
  data: string;
}

export interface TurnRow {
  session_id: string;
  turn: number;
  input_id: string | null;
  input_kind: string;
  candidate_text: string | null;
  reply: string;
  follow_up: number | boolean;
  cancelled: number | boolean;
  created_at: string;
  heard_text?: string | null;
  interrupted?: number | boolean;
}

/** Parses a JSON column written by this module; the cast is sound because only typed values go in. */
function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

function parseNullableJson<T>(text: string | null): T | null {
  return text === null ? null : parseJson<T>(text);
}

/**
 * The JSON of a frozen plan, written once: the built-in planner hands every session of a job the same
 * frozen plan (4-25 KB of JSON), and each new session stores it. Frozen here means frozen all the way
 * down, as the planner and the stores' caches freeze (see cloneSharingFrozen), so the text cannot go stale.
 */
const frozenPlanJson = new WeakMap<object, string>();

function planJson(plan: NonNullable<SessionRecord['plan']>): string {
  if (!Object.isFrozen(plan)) return JSON.stringify(plan);
  let json = frozenPlanJson.get(plan);
  if (json === undefined) {
    json = JSON.stringify(plan);
    frozenPlanJson.set(plan, json);
  }
  return json;
}

export function sessionToRow(record: SessionRecord): SessionRow {
  return {
    id: record.id,
    created_at: record.created_at,
    updated_at: record.updated_at,
    candidate: JSON.stringify(record.candidate),
    settings: JSON.stringify(record.settings),
    plan: record.plan === null ? null : planJson(record.plan),
    progress: JSON.stringify(record.progress),
    report: record.report === null ? null : JSON.stringify(record.report),
    last_seq: record.last_seq,
    turn_count: record.turn_count,
    template_id: record.template_id,
  };
}

export function sessionFromRow(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    candidate: parseJson<SessionRecord['candidate']>(row.candidate),
    settings: parseJson<SessionRecord['settings']>(row.settings),
    plan: parseNullableJson<NonNullable<SessionRecord['plan']>>(row.plan),
    progress: parseJson<SessionRecord['progress']>(row.progress),
    report: parseNullableJson<NonNullable<SessionRecord['report']>>(row.report),
    // PostgreSQL drivers may hand back bigint columns as strings
    last_seq: Number(row.last_seq),
    turn_count: Number(row.turn_count),
    // rows of databases migrated before templates existed have no template
    template_id: row.template_id ?? null,
  };
}

export function messageToRow(message: DurableMessage): MessageRow {
  return {
    session_id: message.session_id,
    seq: message.seq,
    type: message.type,
    reply_to: message.reply_to ?? null,
    timestamp: message.timestamp,
    data: dataJsonOf(message),
  };
}

export function messageFromRow(row: MessageRow): DurableMessage {
  if (!isDurableType(row.type)) throw new TypeError(`stored message has non-durable type ${row.type}`);
  const message: Record<string, unknown> = {
    type: row.type,
    session_id: row.session_id,
    seq: Number(row.seq),
    timestamp: row.timestamp,
    data: parseJson<unknown>(row.data),
  };
  // absent, not null: the wire envelope omits reply_to when there is none
  if (row.reply_to !== null) message.reply_to = row.reply_to;
  return message as DurableMessage;
}

export function turnToRow(sessionId: string, turn: StoredTurn): TurnRow {
  return {
    session_id: sessionId,
    turn: turn.turn,
    input_id: turn.input_id,
    input_kind: turn.input_kind,
    candidate_text: turn.candidate_text,
    reply: turn.reply,
    follow_up: turn.follow_up ? 1 : 0,
    cancelled: turn.cancelled ? 1 : 0,
    created_at: turn.created_at,
  };
}

export function turnFromRow(row: TurnRow): StoredTurn {
  return {
    turn: Number(row.turn),
    input_id: row.input_id,
    input_kind: row.input_kind as StoredTurn['input_kind'],
    candidate_text: row.candidate_text,
    reply: row.reply,
    follow_up: Boolean(row.follow_up),
    cancelled: Boolean(row.cancelled),
    created_at: row.created_at,
    ...(row.interrupted ? { heard_text: row.heard_text ?? '', interrupted: true } : {}),
  };
}
