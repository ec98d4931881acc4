import { randomUUID } from 'node:crypto';
import type { AiResponseData, DurableMessage, ServerMessage } from '@viva/protocol/server-messages.js';
import { serverMessage } from '@viva/protocol/server-messages.js';
import { VivaError, toVivaError } from '@viva/protocol/viva-error.js';
import type { EndReason, InterviewReport, InterviewSnapshot } from './interview-types.js';
import type {
  CandidateInput,
  InterviewEvaluator,
  InterviewPlanner,
  Interviewer,
  SpeechRecognizer,
  TranscribeRequest,
  Transcription,
} from './interview-ports.js';
import type { Candidate, InterviewSettingsInput } from '@viva/protocol/interview-schemas.js';
import type { LoggerPort } from './logger-port.js';
import type { SessionMessageSink } from './message-sink.js';
import type { PendingInput, SessionRecord, SessionStore, UnnumberedMessage } from './session-store.js';
import type { SessionLeases } from './session-leases.js';
import type { TurnMetrics } from './turn-metrics.js';
import { SessionTaskQueue } from './session-task-queue.js';
import { resolveSettings } from './interview-settings.js';
import { describeInterview, endProgress } from './interview-status.js';
import { InFlightInputs } from './in-flight-inputs.js';
import { takeTurn } from './rules/turn-runner.js';
import { InstantReplyHold } from './instant-reply-hold.js';
import { BoundedCache } from './bounded-cache.js';
import { AbortControllerPool } from './abort-controller-pool.js';
import { deepFreeze } from './deep-freeze.js';
import { conversationOf } from './conversation-history.js';
import { timestampsOf } from '@viva/protocol/timestamps.js';

/** A candidate's input, decoded and validated at the edge. */
export type TurnInput =
  | { kind: 'text'; id?: string | undefined; text: string }
  | {
      kind: 'audio';
      id?: string | undefined;
      audio: Omit<TranscribeRequest, 'abortSignal' | 'language'>;
      language?: string | undefined;
      /** Set for a live voice turn (docs/protocol.md §9): its timing, and the spoken reply to wait for. */
      voice?: VoiceTurnHooks | undefined;
      /** The pending input (see holdUtterance) that keeps this audio until its turn is stored. */
      pending?: string | undefined;
      /** Its transcription, already started by the caller (a voice turn starts it at the end of the utterance). */
      transcription?: EarlyTranscription | undefined;
    };

/** A transcription started before its turn runs: the turn waits for it under its deadline, and may abort it. */
export interface EarlyTranscription {
  result: Promise<Transcription>;
  abort(reason: unknown): void;
}

/** A held utterance's turn found it already answered (by resumePendingInputs, here or on another node). */
export class PendingInputSettled extends Error {
  constructor(readonly pendingId: string) {
    super(`pending input ${pendingId} was answered already`);
  }
}

/** At most this many sessions' pending inputs are resumed at start (more wait for their client to reconnect). */
const MAX_SESSIONS_RESUMED_AT_START = 10_000;

/** What a voice turn adds to an audio turn. Times are performance.now() milliseconds. */
export interface VoiceTurnHooks {
  /** When the end of the candidate's turn was detected (or committed). */
  detectedAt: number;
  /** When the candidate stopped speaking: detection minus the silence waited for. */
  speechEndedAt: number;
  /**
   * The reply is complete (before it is stored): resolves with when its first audio was sent, or
   * undefined without one. Bounded by the caller, so a slow voice never holds the durable reply long.
   */
  replyReady(turn: number, reply: string): Promise<number | undefined>;
}

/** Who asked: messages meant only for the requester (queued status, replays) go to `reply`. */
export interface TurnOrigin {
  reply?: ((message: ServerMessage) => void) | undefined;
  /** Sees every message of the turn as it is sent (status, deltas, durable ones): for HTTP streaming. */
  observe?: ((message: ServerMessage) => void) | undefined;
}

export interface TurnOutcome {
  /** The durable messages of the turn, as stored (transcription, ai_response, interview_ended). */
  messages: DurableMessage[];
  ai_response: AiResponseData;
  seq: number;
  transcription?: DurableMessage | undefined;
  /** The input's id had completed before: nothing was processed, the stored answer was re-sent. */
  replayed: boolean;
}

export interface CoordinatorOptions {
  store: SessionStore;
  planner: InterviewPlanner;
  interviewer: Interviewer;
  evaluator: InterviewEvaluator;
  speech: SpeechRecognizer;
  sink: SessionMessageSink;
  leases: SessionLeases;
  metrics: TurnMetrics;
  maxQueuedInputs: number;
  aiTimeoutMs: number;
  sttTimeoutMs: number;
  /** Where failures that reach no caller are told: a report that could not be written, a lost delivery. */
  logger: LoggerPort;
  /** The URL path of a session's report, for `interview_ended.report_url`: the edge's route, not the domain's. */
  reportUrl: (sessionId: string) => string;
  now?: () => Date;
}

class CancelledByClient extends Error {}

/** The errors a provider call's deadline and failure are reported as (see withDeadline). */
interface DeadlineErrors {
  timeout(milliseconds: number): VivaError;
  failure(cause: unknown): VivaError;
}

/** The interviewer, planner and evaluator: the model's errors. */
const MODEL_ERRORS: DeadlineErrors = {
  timeout: () => new VivaError('AI_TIMEOUT'),
  failure: (cause) => new VivaError('AI_BACKEND_ERROR', undefined, { cause: toVivaError(cause).cause ?? cause }),
};

/** The speech recognizer: whatever goes wrong is STT_FAILED, and a slow one may be tried again. */
const SPEECH_ERRORS: DeadlineErrors = {
  timeout: (milliseconds) =>
    new VivaError('STT_FAILED', `The speech recognizer took too long (over ${milliseconds} ms). Send the recording again, or type your answer.`, {
      retryable: true,
      details: { reason: 'timeout' },
    }),
  failure: (cause) => new VivaError('STT_FAILED', undefined, { retryable: true, cause }),
};

/** Provisional reports kept at once (see InterviewCoordinator.report). */
const MAX_PROVISIONAL_REPORTS = 1_000;

/**
 * The one path every input takes, from WebSocket and HTTP alike: ordering per session, idempotency,
 * speech recognition for audio, the interviewer, and storing each durable message before it is sent.
 */
export class InterviewCoordinator {
  private readonly queue: SessionTaskQueue;
  private readonly inFlight = new InFlightInputs<TurnOutcome>();
  /** Pending inputs a live caller of this process is about to run or runs: resumePendingInputs leaves them. */
  private readonly heldHere = new Set<string>();
  private readonly running = new Map<string, AbortController>();
  /** The controllers of provider calls (abort-controller-pool.ts). */
  private readonly abortControllers = new AbortControllerPool();
  private readonly pendingReports = new Map<string, Promise<InterviewReport>>();
  /**
   * The provisional report of each running interview, for the session state it was computed from: GET
   * /report is polled, and an evaluation reads every answer. The next turn (or any change) changes the key.
   */
  // bounded: a provisional report is made again on request
  private readonly provisionalReports = new BoundedCache<{ key: string; report: Promise<InterviewReport> }>(MAX_PROVISIONAL_REPORTS);
  private readonly now: () => Date;
  /** `now()` as a message's timestamp; without a clock of the caller's, made once per millisecond. */
  private readonly timestamp: () => string;

  constructor(private readonly options: CoordinatorOptions) {
    this.queue = new SessionTaskQueue(options.maxQueuedInputs);
    this.now = options.now ?? (() => new Date());
    this.timestamp = timestampsOf(options.now);
  }

  /** Creates the session if needed; `created` says whether this call made it. */
  async openSession(sessionId: string): Promise<{ session: SessionRecord; created: boolean }> {
    return this.options.store.createSession({ id: sessionId });
  }

  async requireSession(sessionId: string): Promise<SessionRecord> {
    const session = await this.options.store.getSession(sessionId);
    if (session === null) throw new VivaError('SESSION_NOT_FOUND', `No session with id ${sessionId}.`);
    return session;
  }

  /**
   * Applies a `connect` message's candidate and interview settings. Settings count only before the
   * interview starts; settings that arrive then also start it (docs/protocol.md §3).
   */
  configure(
    sessionId: string,
    update: { candidate?: Candidate | undefined; interview?: InterviewSettingsInput | undefined },
  ): Promise<SessionRecord> {
    return this.inLane(sessionId, async () => {
      const session = await this.requireSession(sessionId);
      if (session.progress.state !== 'not_started') return session;
      const updated = await this.options.store.updateSession(sessionId, {
        ...(update.candidate ? { candidate: { ...session.candidate, ...update.candidate } } : {}),
        ...(update.interview ? { settings: { ...session.settings, ...update.interview } } : {}),
      });
      return update.interview ? this.startInterview(updated) : updated;
    });
  }

  /**
   * POST /interview/start: settings, plan, and the greeting with the first question as turn 1.
   * @param onlyNew refuse, with UNAUTHORIZED and nothing changed, a session that already exists (a caller
   *   who does not hold its token may not continue it)
   */
  begin(
    sessionId: string,
    init: {
      candidate?: Candidate | undefined;
      interview?: InterviewSettingsInput | undefined;
      template_id?: string | undefined;
      /** The template's focus, kept with the session's settings so its plan covers those competencies first. */
      focus?: readonly string[] | undefined;
    },
    onlyNew = false,
  ): Promise<{ session: SessionRecord; outcome: TurnOutcome; created: boolean }> {
    return this.inLane(sessionId, async () => {
      const opened = await this.options.store.createSession(
        init.template_id === undefined ? { id: sessionId } : { id: sessionId, template_id: init.template_id },
      );
      const created = opened.created;
      if (onlyNew && !created) {
        throw new VivaError(
          'UNAUTHORIZED',
          'A session with this id already exists; continuing it needs its session token (X-Session-Token). Leave session_id out to start a new interview.',
        );
      }
      let session = opened.session;
      if (session.progress.state === 'completed') throw new VivaError('INTERVIEW_COMPLETED');
      if (!session.progress.greeted) {
        if (session.progress.state === 'not_started') {
          session = await this.options.store.updateSession(sessionId, {
            candidate: { ...session.candidate, ...init.candidate },
            settings: { ...session.settings, ...init.interview, ...(init.focus?.length ? { focus: [...init.focus] } : {}) },
          });
        }
        const outcome = await this.runTurn(session, { kind: 'start' }, undefined, {});
        return { session: await this.requireSession(sessionId), outcome, created };
      }
      // already greeted (a repeated start): answer with the newest reply instead of greeting again
      const latest = await this.latestReply(session);
      return { session, outcome: latest, created };
    });
  }

  /**
   * Processes a text or audio input in the session's order; see TurnOutcome. The input takes its place
   * in the session's queue synchronously, before this returns, so callers keep arrival order; a full
   * queue rejects with BUSY.
   */
  processInput(sessionId: string, input: TurnInput, origin: TurnOrigin = {}): Promise<TurnOutcome> {
    const inputId = input.id;
    if (inputId !== undefined) {
      const pending = this.inFlight.get(sessionId, inputId);
      if (pending !== undefined) {
        origin.reply?.(
          serverMessage('status', sessionId, { state: 'queued', detail: 'This input is already being processed.' }, { reply_to: inputId }),
        );
        return pending;
      }
    }
    const task = this.inLane(
      sessionId,
      async () => {
        if (inputId !== undefined) {
          const replay = await this.replayIfCompleted(sessionId, inputId, origin);
          if (replay !== null) return replay;
        }
        return this.withPendingDropped(sessionId, input, async () => {
          const session = await this.requireSession(sessionId);
          if (session.progress.state === 'completed') throw new VivaError('INTERVIEW_COMPLETED');
          return this.runTurn(session, input, inputId, origin);
        });
      },
      () => {
        origin.reply?.(
          serverMessage('status', sessionId, { state: 'queued', detail: 'Waiting for the current reply to finish.' }, { reply_to: inputId }),
        );
      },
    );
    const pending = input.kind === 'audio' ? input.pending : undefined;
    if (pending !== undefined) {
      const forget = () => this.heldHere.delete(pendingKey(sessionId, pending));
      task.then(forget, (error: unknown) => {
        forget();
        // refused before it ran (BUSY): dropped like a turn that failed (withPendingDropped), not left for later
        if (error instanceof VivaError && error.code === 'BUSY') void this.options.store.dropPendingInput(sessionId, pending).catch(() => undefined);
      });
    }
    return inputId === undefined ? task : this.inFlight.track(sessionId, inputId, task);
  }

  /**
   * Stores a committed utterance (a live voice turn) as a pending input of the session and resolves once it
   * is stored, so the caller can acknowledge it (`speech_stopped`): from then on a process that dies loses
   * nothing of it, and whichever process next holds the session answers it (resumePendingInputs). The caller
   * runs the turn with `processInput(sessionId, { ...input, pending: id })` right after, and must do so.
   */
  async holdUtterance(sessionId: string, audio: TurnAudio, language: string | undefined): Promise<string> {
    const id = `voice-${randomUUID()}`;
    this.heldHere.add(pendingKey(sessionId, id));
    try {
      await this.options.store.addPendingInput({ session_id: sessionId, id, audio: audio.audio, duration_ms: audio.duration_ms ?? 0, language: language ?? null });
    } catch (error) {
      this.heldHere.delete(pendingKey(sessionId, id));
      throw error;
    }
    return id;
  }

  /**
   * Transcribes and answers, in the session's order, the utterances a stopped process held but never
   * answered (it was killed after `speech_stopped`): on start, and when a client connects to a session (the
   * node that takes a session over in cluster mode). Each is answered exactly once: its turn's commit
   * deletes it, and a transcription already stored is not made again. Resolves with how many were answered.
   */
  async resumePendingInputs(sessionId: string): Promise<number> {
    const waiting = (await this.options.store.pendingInputs(sessionId, false)).filter((input) => !this.heldHere.has(pendingKey(sessionId, input.id)));
    if (waiting.length === 0) return 0;
    return this.inLane(sessionId, async () => {
      let answered = 0;
      for (const input of await this.options.store.pendingInputs(sessionId)) {
        if (this.heldHere.has(pendingKey(sessionId, input.id))) continue;
        try {
          await this.runPending(sessionId, input);
          answered += 1;
        } catch (error) {
          if (error instanceof PendingInputSettled) continue;
          this.options.logger.warn({ session_id: sessionId, err: describeError(error) }, 'a held voice turn could not be answered; it is dropped');
        }
      }
      return answered;
    });
  }

  /** resumePendingInputs for every session that has pending inputs (at start). */
  async resumeAllPendingInputs(): Promise<number> {
    const sessions = await this.options.store.sessionsWithPendingInputs(MAX_SESSIONS_RESUMED_AT_START);
    const answered = await Promise.all(
      sessions.map((sessionId) =>
        this.resumePendingInputs(sessionId).catch((error: unknown) => {
          this.options.logger.warn({ session_id: sessionId, err: describeError(error) }, 'could not resume the held voice turns of a session');
          return 0;
        }),
      ),
    );
    return answered.reduce((sum, count) => sum + count, 0);
  }

  private async runPending(sessionId: string, input: PendingInput): Promise<TurnOutcome> {
    const audio: TurnAudio = { audio: input.audio, format: 'wav', file_name: 'speech.wav', mime_type: 'audio/wav', duration_ms: input.duration_ms };
    const turnInput: TurnInput = { kind: 'audio', audio, language: input.language ?? undefined, pending: input.id };
    return this.withPendingDropped(sessionId, turnInput, async () => {
      const session = await this.requireSession(sessionId);
      if (session.progress.state === 'completed') throw new VivaError('INTERVIEW_COMPLETED');
      return this.runTurn(session, turnInput, undefined, {});
    });
  }

  /** A held utterance whose turn fails is dropped, as a clip's would be: the error went to the client. */
  private async withPendingDropped<T>(sessionId: string, input: TurnInput, task: () => Promise<T>): Promise<T> {
    const pending = input.kind === 'audio' ? input.pending : undefined;
    if (pending === undefined) return task();
    try {
      return await task();
    } catch (error) {
      if (!(error instanceof PendingInputSettled)) {
        await this.options.store.dropPendingInput(sessionId, pending).catch((dropError: unknown) => {
          // kept: the next process to hold the session tries it again
          this.options.logger.warn({ session_id: sessionId, err: describeError(dropError) }, 'could not drop a failed held voice turn');
        });
      }
      throw error;
    }
  }

  /** Durable messages after `afterSeq`, for resume. */
  messagesAfter(sessionId: string, afterSeq: number, limit: number): Promise<DurableMessage[]> {
    return this.options.store.messagesAfter(sessionId, afterSeq, limit);
  }

  /** Ends the interview now (candidate or admin), writes the report, sends `interview_ended`. */
  endInterview(
    sessionId: string,
    reason: Exclude<EndReason, 'completed'>,
    inputId?: string | undefined,
    origin: TurnOrigin = {},
  ): Promise<{ report: InterviewReport; message: DurableMessage }> {
    return this.inLane(sessionId, async () => {
      if (inputId !== undefined) {
        const stored = await this.options.store.messagesForInput(sessionId, inputId);
        const ended = stored.find((message) => message.type === 'interview_ended');
        const session = await this.requireSession(sessionId);
        if (ended !== undefined && session.report !== null) {
          origin.reply?.(ended);
          return { report: session.report, message: ended };
        }
      }
      let session = await this.requireSession(sessionId);
      if (session.progress.state === 'completed') throw new VivaError('INTERVIEW_COMPLETED');
      if (session.plan === null) session = await this.startInterview(session);
      const progress = endProgress(session.progress, reason, this.now());
      const snapshot = await this.snapshotOf({ ...session, progress });
      const report = await this.evaluate(snapshot);
      const committed = await this.options.store.commit({
        session_id: sessionId,
        messages: [this.endedMessage(sessionId, reason, inputId)],
        patch: { progress, report },
      });
      await this.deliverAll(sessionId, committed.messages);
      const message = committed.messages[0];
      if (message === undefined) throw new VivaError('INTERNAL_ERROR');
      return { report, message };
    });
  }

  /** Stops the reply being generated for this session, if any (docs/protocol.md §3 `cancel`). */
  cancel(sessionId: string): boolean {
    const controller = this.running.get(sessionId);
    if (controller === undefined) return false;
    controller.abort(new CancelledByClient('cancelled by the client'));
    return true;
  }

  /**
   * The interviewer's latest reply when it answers a spoken turn and still waits for the candidate: no turn
   * runs or is held for the session, and the reply was not cut short by a barge-in. Voice output that starts
   * again (a reconnect, a restarted server) speaks it, so a candidate whose turn was answered while nobody
   * listened hears the question. Asked in the session's order: a turn running now finishes first.
   */
  unansweredSpokenReply(sessionId: string): Promise<{ turn: number; reply: string } | undefined> {
    return this.inLane(sessionId, async () => {
      if ((await this.options.store.pendingInputs(sessionId, false)).length > 0) return undefined;
      const last = (await this.options.store.turns(sessionId)).at(-1);
      if (last === undefined || last.input_kind !== 'audio' || last.cancelled || last.interrupted === true) return undefined;
      return { turn: last.turn, reply: last.reply };
    });
  }

  /**
   * playback_truncate: the candidate heard only `heardText` of that turn's spoken reply. In the session's
   * order, so a turn already running finishes first and the next one is based on what was heard.
   */
  recordHeard(sessionId: string, turn: number, heardText: string): Promise<void> {
    return this.inLane(sessionId, async () => {
      const found = await this.options.store.markTurnHeard(sessionId, turn, heardText);
      if (!found) throw new VivaError('INVALID_MESSAGE', `Turn ${turn} does not exist in this session.`, { details: { field: 'data.turn' } });
    });
  }

  /** Stores a `notice` and delivers it now or on resume. */
  async sendNotice(
    sessionId: string,
    notice: { message: string; from: 'admin' | 'system'; data?: Record<string, unknown> | undefined },
  ): Promise<{ delivered: boolean; seq: number }> {
    await this.requireSession(sessionId);
    const data = { message: notice.message, from: notice.from, ...(notice.data ? { data: notice.data } : {}) };
    const committed = await this.options.store.commit({
      session_id: sessionId,
      messages: [{ type: 'notice', session_id: sessionId, timestamp: this.timestamp(), data }],
    });
    const message = committed.messages[0];
    if (message === undefined) throw new VivaError('INTERNAL_ERROR');
    const delivered = await this.options.sink.deliver(sessionId, message);
    return { delivered, seq: message.seq };
  }

  /** The stored report of an ended interview, or a provisional one (ended_at null) while it runs. */
  async report(sessionId: string): Promise<InterviewReport> {
    const session = await this.requireSession(sessionId);
    if (session.report !== null) return session.report;
    if (session.progress.state === 'completed') {
      this.provisionalReports.delete(sessionId);
      return this.writeReport(sessionId);
    }
    const key = `${session.created_at}|${session.updated_at}|${session.last_seq}|${session.turn_count}`;
    const cached = this.provisionalReports.get(sessionId);
    if (cached !== undefined && cached.key === key) return cached.report;
    const report = (async () => {
      // a session that never started gets a plan for the report only; nothing is stored
      const plan =
        session.plan ??
        (await this.withDeadline(this.options.aiTimeoutMs, (signal) =>
          this.options.planner.plan({ session_id: sessionId, candidate: session.candidate, settings: resolveSettings(session.settings), abortSignal: signal }),
        ));
      const snapshot = await this.snapshotOf({ ...session, plan });
      return this.evaluate(snapshot);
    })();
    this.provisionalReports.remember(sessionId, { key, report });
    // a failed evaluation is not kept: the next request tries again
    report.catch(() => {
      if (this.provisionalReports.get(sessionId)?.report === report) this.provisionalReports.delete(sessionId);
    });
    return report;
  }

  /**
   * Evaluates an ended interview and stores the report, once: callers asking while it is being written
   * wait for the same evaluation (a crash before it was stored is repaired by the next request).
   */
  private writeReport(sessionId: string): Promise<InterviewReport> {
    const pending = this.pendingReports.get(sessionId);
    if (pending !== undefined) return pending;
    const writing = (async () => {
      const session = await this.requireSession(sessionId);
      if (session.report !== null) return session.report;
      const report = await this.evaluate(await this.snapshotOf(session));
      await this.options.store.updateSession(sessionId, { report });
      return report;
    })();
    this.pendingReports.set(sessionId, writing);
    const forget = () => this.pendingReports.delete(sessionId);
    writing.then(forget, forget);
    return writing;
  }

  /** The evaluator, under the model deadline like every other model call. */
  private evaluate(snapshot: InterviewSnapshot): Promise<InterviewReport> {
    return this.withDeadline(this.options.aiTimeoutMs, (signal) => this.options.evaluator.evaluate({ snapshot, abortSignal: signal }));
  }

  /** Resolves when no turn is running or waiting (graceful shutdown). */
  async drained(): Promise<void> {
    await this.queue.drained();
    await Promise.allSettled(this.pendingReports.values());
  }

  async snapshotOf(session: SessionRecord): Promise<InterviewSnapshot> {
    if (session.plan === null) throw new VivaError('INTERNAL_ERROR', 'The interview has no plan yet.');
    const turns = await this.options.store.turns(session.id);
    return {
      session_id: session.id,
      candidate: session.candidate,
      settings: resolveSettings(session.settings),
      plan: session.plan,
      progress: session.progress,
      history: conversationOf(turns),
    };
  }

  private inLane<T>(sessionId: string, task: () => Promise<T>, onQueued?: () => void): Promise<T> {
    return this.queue.run(sessionId, () => this.options.leases.withLease(sessionId, task), onQueued);
  }

  /** Makes the plan and marks the interview started, unless it already is, and stores both. */
  private async startInterview(session: SessionRecord): Promise<SessionRecord> {
    if (session.plan !== null) return session;
    const started = await this.withPlan(session);
    return this.options.store.updateSession(session.id, { plan: started.plan, progress: started.progress });
  }

  /** The session with a plan and started, in memory only: a turn stores it with its own commit. */
  private async withPlan(session: SessionRecord): Promise<SessionRecord> {
    if (session.plan !== null) return session;
    const settings = resolveSettings(session.settings);
    const plan = await this.withDeadline(this.options.aiTimeoutMs, (signal) =>
      this.options.planner.plan({ session_id: session.id, candidate: session.candidate, settings, abortSignal: signal }),
    );
    const startedAt = session.progress.started_at ?? this.timestamp();
    return { ...session, plan, progress: { ...session.progress, state: 'in_progress', started_at: startedAt } };
  }

  /**
   * A typed turn's status and pieces wait for its reply when the engine writes the reply at once
   * (instant-reply-hold.ts); a spoken turn's go out as they come, for the voice that speaks them.
   */
  private async runTurn(
    initial: SessionRecord,
    input: TurnInput | { kind: 'start' },
    inputId: string | undefined,
    origin: TurnOrigin,
  ): Promise<TurnOutcome> {
    const hold = input.kind === 'audio' ? undefined : new InstantReplyHold((message) => this.sendTransient(initial.id, message));
    try {
      return await this.runHeldTurn(initial, input, inputId, origin, hold);
    } finally {
      // a turn that failed: what was held goes before the error
      hold?.release();
    }
  }

  private async runHeldTurn(
    initial: SessionRecord,
    input: TurnInput | { kind: 'start' },
    inputId: string | undefined,
    origin: TurnOrigin,
    hold: InstantReplyHold | undefined,
  ): Promise<TurnOutcome> {
    const sessionId = initial.id;
    const sendTransient = (message: ServerMessage) => {
      origin.observe?.(message);
      if (hold === undefined) this.sendTransient(sessionId, message);
      else hold.push(message);
    };
    const deliverAll = async (messages: DurableMessage[]) => {
      for (const message of messages) origin.observe?.(message);
      hold?.release();
      await this.deliverAll(sessionId, messages);
    };
    const startedAt = performance.now();
    const latency: AiResponseData['latency_ms'] = { ai: 0, total: 0 };
    const voice = input.kind === 'audio' ? input.voice : undefined;
    let transcription: DurableMessage | undefined;
    let candidateInput: CandidateInput = { kind: 'start' };

    const pending = input.kind === 'audio' ? input.pending : undefined;
    // a transcript stored before the process stopped: the recognizer is not asked again, nothing is stored twice
    let heldTranscript: string | null = null;
    if (pending !== undefined) {
      const held = (await this.options.store.pendingInputs(sessionId, false)).find((candidate) => candidate.id === pending);
      if (held === undefined) throw new PendingInputSettled(pending);
      heldTranscript = held.transcript;
    }

    if (input.kind === 'audio' && heldTranscript !== null) {
      candidateInput = { kind: 'answer', text: heldTranscript };
      if (heldTranscript.length === 0) throw noSpeechError();
    } else if (input.kind === 'audio') {
      sendTransient(serverMessage('status', sessionId, { state: 'transcribing' }, { reply_to: inputId }));
      const sttStarted = performance.now();
      const result = await this.withDeadline(
        this.options.sttTimeoutMs,
        (signal) => {
          const early = input.transcription;
          if (early === undefined) return this.options.speech.transcribe({ ...input.audio, language: input.language, abortSignal: signal, session_id: sessionId });
          signal.addEventListener('abort', () => early.abort(signal.reason), { once: true });
          return early.result;
        },
        undefined,
        SPEECH_ERRORS,
      );
      latency.stt = Math.round(performance.now() - sttStarted);
      this.options.metrics.observeStage('stt', latency.stt);
      if (voice !== undefined) latency.end_of_speech = Math.round(performance.now() - voice.detectedAt);
      const text = result.text.trim();
      const committed = await this.options.store.commit({
        session_id: sessionId,
        messages: [
          {
            type: 'transcription',
            session_id: sessionId,
            timestamp: this.timestamp(),
            ...(inputId !== undefined ? { reply_to: inputId } : {}),
            data: {
              text,
              audio_format: input.audio.format,
              ...(result.duration_ms ?? input.audio.duration_ms ? { duration_ms: result.duration_ms ?? input.audio.duration_ms } : {}),
              ...(result.language ?? input.language ? { language: result.language ?? input.language } : {}),
            },
          },
        ],
        ...(pending !== undefined ? { pending_input: { id: pending, transcript: text } } : {}),
      });
      transcription = committed.messages[0];
      await deliverAll(committed.messages);
      if (text.length === 0) {
        throw noSpeechError();
      }
      candidateInput = { kind: 'answer', text };
    } else if (input.kind === 'text') {
      candidateInput = { kind: 'answer', text: input.text };
    }

    sendTransient(serverMessage('status', sessionId, { state: 'thinking' }, { reply_to: inputId }));
    // audio took time (and stored a transcription): read the session again; text goes straight on
    const current = input.kind === 'audio' ? await this.requireSession(sessionId) : initial;
    // a first turn stores the plan with its reply, in one write; one that fails leaves the session unplanned
    const session = await this.withPlan(current);
    const planned = current.plan === null ? session.plan : null;
    const snapshot = await this.snapshotOf(session);
    const turn = session.turn_count + 1;
    const aiStarted = performance.now();
    const controller = this.abortControllers.take();
    this.running.set(sessionId, controller);
    let result;
    try {
      result = await this.withDeadline(
        this.options.aiTimeoutMs,
        (signal) =>
          takeTurn(this.options.interviewer, {
            snapshot,
            input: candidateInput,
            now: this.now(),
            abortSignal: signal,
            onDelta: (delta) =>
              sendTransient(serverMessage('ai_response_delta', sessionId, { turn, delta }, { reply_to: inputId })),
          }),
        controller,
      );
    } finally {
      this.running.delete(sessionId);
      this.abortControllers.giveBack(controller);
    }
    hold?.replyComplete();
    latency.ai = Math.round(performance.now() - aiStarted);
    this.options.metrics.observeStage('ai', latency.ai);
    if (voice !== undefined) {
      const firstAudioAt = await voice.replyReady(turn, result.reply);
      if (firstAudioAt !== undefined) latency.first_audio = Math.round(firstAudioAt - voice.speechEndedAt);
    }

    latency.total = Math.round(performance.now() - startedAt);
    const status = describeInterview(session.plan, result.progress);
    const aiResponse: AiResponseData = {
      ai_response: result.reply,
      turn,
      interview: {
        state: status.state,
        stage: status.stage ?? 'opening',
        question_number: status.question_number ?? 0,
        total_questions: status.total_questions ?? session.plan?.questions.length ?? 0,
      },
      follow_up: result.follow_up,
      ...(result.cancelled ? { cancelled: true } : {}),
      latency_ms: latency,
    };
    // frozen all through, the store keeps it as the stored message's data instead of copying it through
    // JSON (numberMessage): one parse and about a kilobyte less per turn, and it is done with here
    deepFreeze(aiResponse);
    const messages: UnnumberedMessage[] = [
      {
        type: 'ai_response',
        session_id: sessionId,
        timestamp: this.timestamp(),
        ...(inputId !== undefined ? { reply_to: inputId } : {}),
        data: aiResponse,
      },
    ];
    if (result.ended) messages.push(this.endedMessage(sessionId, 'completed', inputId));
    const committed = await this.options.store.commit({
      session_id: sessionId,
      messages,
      patch: planned === null ? { progress: result.progress } : { plan: planned, progress: result.progress },
      turn: {
        turn,
        input_id: inputId ?? null,
        input_kind: input.kind,
        candidate_text: candidateInput.kind === 'answer' ? candidateInput.text : null,
        reply: result.reply,
        follow_up: result.follow_up,
        cancelled: result.cancelled ?? false,
      },
      ...(pending !== undefined ? { pending_input: { id: pending } } : {}),
    });
    this.options.metrics.observeStage('total', latency.total);
    await deliverAll(committed.messages);
    // the closing reply goes out first; the evaluation (a slow model call, perhaps) is written after it
    if (result.ended) {
      void this.writeReport(sessionId).catch((error: unknown) => {
        // nobody waits for it; the next request for the report writes it again
        this.options.logger.warn({ session_id: sessionId, err: describeError(error) }, 'could not write the interview report');
      });
    }
    const stored = committed.messages[0];
    if (stored === undefined) throw new VivaError('INTERNAL_ERROR');
    return {
      messages: transcription ? [transcription, ...committed.messages] : committed.messages,
      ai_response: aiResponse,
      seq: stored.seq,
      transcription,
      replayed: false,
    };
  }

  private endedMessage(sessionId: string, reason: EndReason, inputId: string | undefined): UnnumberedMessage {
    return {
      type: 'interview_ended',
      session_id: sessionId,
      timestamp: this.timestamp(),
      ...(inputId !== undefined ? { reply_to: inputId } : {}),
      data: { reason, report_url: this.options.reportUrl(sessionId) },
    };
  }

  /** Re-sends the stored answer of an input that already completed; null when it has not. */
  private async replayIfCompleted(sessionId: string, inputId: string, origin: TurnOrigin): Promise<TurnOutcome | null> {
    const stored = await this.options.store.messagesForInput(sessionId, inputId);
    const answer = stored.find((message) => message.type === 'ai_response');
    if (answer === undefined || answer.type !== 'ai_response') return null;
    for (const message of stored) origin.reply?.(message);
    return {
      messages: stored,
      ai_response: answer.data,
      seq: answer.seq,
      transcription: stored.find((message) => message.type === 'transcription'),
      replayed: true,
    };
  }

  private async latestReply(session: SessionRecord): Promise<TurnOutcome> {
    const recent = await this.options.store.messagesAfter(session.id, Math.max(0, session.last_seq - 50));
    const answer = [...recent].reverse().find((message) => message.type === 'ai_response');
    if (answer === undefined || answer.type !== 'ai_response') throw new VivaError('INTERNAL_ERROR');
    return { messages: [answer], ai_response: answer.data, seq: answer.seq, replayed: true };
  }

  private sendTransient(sessionId: string, message: ServerMessage): void {
    // status and deltas are best effort: a lost one is repaired by the durable message that follows
    void this.options.sink.deliver(sessionId, message).catch((error: unknown) => this.deliveryFailed(sessionId, message, error));
  }

  private async deliverAll(sessionId: string, messages: DurableMessage[]): Promise<void> {
    for (const message of messages) {
      await this.options.sink.deliver(sessionId, message).catch((error: unknown) => this.deliveryFailed(sessionId, message, error));
    }
  }

  /** A delivery that threw (not one to a session with no connection): durable messages still reach the client on resume. */
  private deliveryFailed(sessionId: string, message: ServerMessage, error: unknown): false {
    this.options.logger.warn({ session_id: sessionId, type: message.type, err: describeError(error) }, 'could not deliver a message');
    return false;
  }

  /**
   * Runs a provider call with a deadline: past it the call is aborted and the turn fails with the
   * timeout error of `errors` at once, even if the provider ignores the abort. A failure that is not
   * already a VivaError gets the failure error of `errors`. A cancel through `controller` makes the
   * provider return what it has so far.
   */
  private async withDeadline<T>(
    milliseconds: number,
    call: (signal: AbortSignal) => Promise<T>,
    given?: AbortController,
    errors: DeadlineErrors = MODEL_ERRORS,
  ): Promise<T> {
    const controller = given ?? this.abortControllers.take();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        const error = errors.timeout(milliseconds);
        controller.abort(error);
        reject(error);
      }, milliseconds);
    });
    const running = call(controller.signal);
    // a call left behind at its deadline may still fail later; that is no longer anyone's business
    running.catch(() => undefined);
    try {
      return await Promise.race([running, expired]);
    } catch (error) {
      if (timedOut) throw errors.timeout(milliseconds);
      if (error instanceof VivaError) throw error;
      throw errors.failure(error);
    } finally {
      clearTimeout(timer);
      // aborted at the deadline, it is not given back: the call left behind may still hold it
      if (given === undefined) this.abortControllers.giveBack(controller);
    }
  }
}

/** The audio of an audio turn, as the recognizer takes it. */
export type TurnAudio = Extract<TurnInput, { kind: 'audio' }>['audio'];

function pendingKey(sessionId: string, pendingId: string): string {
  return `${sessionId}\u0000${pendingId}`;
}

function noSpeechError(): VivaError {
  // not retryable, as in every recognizer: the same recording would be heard the same way (docs/protocol-errors.md)
  return new VivaError('STT_FAILED', 'No speech was heard in the recording. Check the microphone and speak again, or type your answer.', {
    retryable: false,
    details: { reason: 'no_speech' },
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
