import type { DurableMessage } from '@viva/protocol/server-messages.js';
import type {
  Candidate,
  InterviewPlan,
  InterviewProgress,
  InterviewReport,
  SessionSettings,
} from './interview-types.js';
import type { InterviewTemplate, SessionSearch, TemplatePatch, TemplateSummary } from './interview-templates.js';

/** A session as stored: everything needed to continue its interview on any node, after any restart. */
export interface SessionRecord {
  id: string;
  created_at: string;
  updated_at: string;
  candidate: Candidate;
  /** Settings as the client gave them; defaults are applied when the plan is made. */
  settings: SessionSettings;
  plan: InterviewPlan | null;
  progress: InterviewProgress;
  report: InterviewReport | null;
  /** The seq of the newest durable message; 0 when there is none. */
  last_seq: number;
  /** How many interviewer replies (`ai_response`) the session has had. */
  turn_count: number;
  /** The template the session was started from (docs/protocol.md §10), fixed at creation; null when none. */
  template_id: string | null;
}

/** One exchange: what the candidate said (null for the greeting) and the interviewer's reply. */
export interface StoredTurn {
  turn: number;
  input_id: string | null;
  input_kind: 'start' | 'text' | 'audio';
  candidate_text: string | null;
  reply: string;
  follow_up: boolean;
  cancelled: boolean;
  created_at: string;
  /** A spoken reply cut short by the candidate (barge-in): the words heard (docs/protocol.md §9). */
  heard_text?: string | null | undefined;
  interrupted?: boolean | undefined;
}

/** A durable message before the store has numbered it. */
export type UnnumberedMessage = Omit<DurableMessage, 'seq'>;

/** What a new session starts with: its id and, optionally, the candidate and the interview settings. */
export interface NewSession {
  id: string;
  candidate?: Candidate;
  settings?: SessionSettings;
  template_id?: string;
}

export interface SessionPatch {
  candidate?: Candidate;
  settings?: SessionSettings;
  plan?: InterviewPlan | null;
  progress?: InterviewProgress;
  report?: InterviewReport | null;
}

export interface CommitRequest {
  session_id: string;
  /** Stored in this order and numbered with the next seqs of the session. */
  messages: UnnumberedMessage[];
  patch?: SessionPatch;
  /** The turn to record; its number must be the session's turn_count + 1. */
  turn?: Omit<StoredTurn, 'created_at'>;
  /**
   * A pending input this commit advances, in the same transaction: with `transcript`, its transcription is
   * among `messages` (the transcript is kept and the audio dropped); without, its turn is stored and the
   * pending input is deleted. Nothing happens when it is no longer pending.
   */
  pending_input?: { id: string; transcript?: string | undefined } | undefined;
}

/**
 * A candidate's committed utterance (docs/protocol.md §9) kept until its turn is stored, so a node that dies
 * after `speech_stopped` loses nothing: the next process to hold the session transcribes and answers it.
 */
export interface PendingInput {
  session_id: string;
  /** Unique within the session; never sent to the client (a voice turn's messages carry no reply_to). */
  id: string;
  /** The utterance as a WAV file; empty once its transcription is stored. */
  audio: Buffer;
  duration_ms: number;
  language: string | null;
  /** Set (possibly empty) once the transcription message is stored: the recognizer is not asked again. */
  transcript: string | null;
  created_at: string;
}

export type NewPendingInput = Pick<PendingInput, 'session_id' | 'id' | 'audio' | 'duration_ms' | 'language'>;

export interface CommitResult {
  session: SessionRecord;
  /** The messages as stored, with their seq. */
  messages: DurableMessage[];
}

/**
 * Where sessions and their conversations live. Every method is atomic; `commit` is the one way durable
 * messages enter a session, numbering them gap-free in the same transaction that changes the session,
 * so a reply is never sent that was not stored first.
 */
export interface SessionStore {
  readonly kind: string;
  /**
   * Creates the session if it does not exist. `created` says whether this call made it.
   * @throws VivaError SESSION_NOT_FOUND (`details.reason` `erased`) for an id that was erased: an erased
   *   session never comes back, so neither do the tokens issued for it.
   */
  createSession(init: NewSession): Promise<{ session: SessionRecord; created: boolean }>;
  getSession(id: string): Promise<SessionRecord | null>;
  updateSession(id: string, patch: SessionPatch): Promise<SessionRecord>;
  commit(request: CommitRequest): Promise<CommitResult>;
  /** Durable messages with seq > afterSeq, oldest first, at most `limit`. */
  messagesAfter(sessionId: string, afterSeq: number, limit?: number): Promise<DurableMessage[]>;
  /** Durable messages sent in answer to the client input `inputId` (their `reply_to`), oldest first. */
  messagesForInput(sessionId: string, inputId: string): Promise<DurableMessage[]>;
  turns(sessionId: string): Promise<StoredTurn[]>;
  /** Stores a committed utterance until its turn is stored (see PendingInput); its session must exist. */
  addPendingInput(input: NewPendingInput): Promise<void>;
  /** The session's pending inputs, oldest first; `withAudio` false leaves `audio` empty (a cheap existence check). */
  pendingInputs(sessionId: string, withAudio?: boolean): Promise<PendingInput[]>;
  /** Ids of sessions that have pending inputs (for recovery at start), at most `limit`. */
  sessionsWithPendingInputs(limit: number): Promise<string[]>;
  /** Deletes a pending input whose turn failed; returns whether it was there. */
  dropPendingInput(sessionId: string, id: string): Promise<boolean>;
  /** Marks a turn's spoken reply as interrupted, with the words heard. Returns whether the turn exists. */
  markTurnHeard(sessionId: string, turn: number, heardText: string): Promise<boolean>;
  listSessions(options: { limit: number; offset: number }): Promise<SessionRecord[]>;
  countSessions(): Promise<number>;
  /**
   * Erases a session with all its messages and turns, and keeps its id (a tombstone, in the same
   * transaction) so it cannot be created again. Returns whether it existed.
   */
  deleteSession(id: string): Promise<boolean>;
  /**
   * Deletes sessions last updated before `cutoff` (RETENTION_DAYS) and tombstones their ids in the same
   * transaction, as `deleteSession` does: a purged session's token must not bring it back. Returns how many.
   */
  purgeSessionsBefore(cutoff: Date): Promise<number>;
  /** Sessions matching the search, in listing order, at most `search.limit` (docs/protocol.md §10). */
  searchSessions(search: SessionSearch): Promise<SessionRecord[]>;
  /** Stores a new template; `template_id` and `invite` are unique. */
  createTemplate(template: InterviewTemplate): Promise<InterviewTemplate>;
  getTemplate(templateId: string): Promise<InterviewTemplate | null>;
  findTemplateByInvite(invite: string): Promise<InterviewTemplate | null>;
  /** Every template, newest first, with its session counts. */
  listTemplates(): Promise<TemplateSummary[]>;
  /** Null when there is no such template. Sessions already started keep their plan. */
  updateTemplate(templateId: string, patch: TemplatePatch): Promise<InterviewTemplate | null>;
  /** Returns whether it existed; its sessions stay (with their template_id). */
  deleteTemplate(templateId: string): Promise<boolean>;
  /** A value kept across restarts, such as the secret that signs session tokens. */
  getOrCreateSetting(key: string, create: () => string): Promise<string>;
  /** Resolves when the store answers; rejects when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
