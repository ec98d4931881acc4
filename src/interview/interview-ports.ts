import type { AudioFormat } from '@viva/protocol/client-messages.js';
import type { TurnDecision, TurnPlan } from './rules/turn-rules.js';
import type {
  Candidate,
  EndReason,
  InterviewPlan,
  InterviewProgress,
  InterviewReport,
  InterviewSettings,
  InterviewSnapshot,
} from './interview-types.js';

/**
 * The interview domain's view of its collaborators. Implementations live in src/providers (built-in
 * engine, OpenAI-compatible models) and are picked in src/main.ts.
 *
 * A request's `abortSignal` belongs to its call: an implementation must not use it once the call has
 * settled. The coordinator may hand a signal that was never aborted, and that nobody listens to any more,
 * to a later call (abort-controller-pool.ts).
 */

export interface PlanRequest {
  session_id: string;
  candidate: Candidate;
  settings: InterviewSettings;
  abortSignal?: AbortSignal | undefined;
}

export interface InterviewPlanner {
  readonly provider: string;
  plan(request: PlanRequest): Promise<InterviewPlan>;
}

/** What the candidate did this turn. `start` asks for the greeting and first question with no answer. */
export type CandidateInput = { kind: 'start' } | { kind: 'answer'; text: string };

export interface RespondRequest {
  snapshot: InterviewSnapshot;
  input: CandidateInput;
  /** Where the turn leaves the interview, decided by the domain's rules (rules/turn-rules.ts). */
  plan: TurnPlan;
  now: Date;
  abortSignal?: AbortSignal | undefined;
  /** Called with each piece of the reply as it is produced, in order; the pieces join to `reply`. */
  onDelta?: ((delta: string) => void) | undefined;
}

/** What an engine decides in a turn: the words of the reply, and whether it follows up or moves on. */
export interface RespondResult {
  reply: string;
  /** A follow-up (only where the plan offers one; otherwise the plan's next step is taken). */
  decision: TurnDecision;
  /** The reply was cut short by the abort signal; `reply` holds what was produced. */
  cancelled?: boolean;
}

/** Writes the interviewer's replies. Where a turn leaves the interview is the domain's, not the engine's. */
export interface Interviewer {
  readonly provider: string;
  respond(request: RespondRequest): Promise<RespondResult>;
}

export interface EvaluateRequest {
  snapshot: InterviewSnapshot;
  abortSignal?: AbortSignal | undefined;
}

export interface InterviewEvaluator {
  readonly provider: string;
  evaluate(request: EvaluateRequest): Promise<InterviewReport>;
}

/** Marks progress as ended, for an interview ended by the candidate or an admin. */
export type EndProgress = (progress: InterviewProgress, reason: EndReason, now: Date) => InterviewProgress;

export interface TranscribeRequest {
  audio: Buffer;
  format: AudioFormat;
  /** A file name with the right extension, which transcription endpoints use to pick a decoder. */
  file_name: string;
  mime_type: string;
  language?: string | undefined;
  duration_ms?: number | undefined;
  /** Whether the recording is (near) silence, as measured when it was inspected; absent when not measured. */
  silent?: boolean | undefined;
  abortSignal?: AbortSignal | undefined;
  /** For logs and metrics only. */
  session_id?: string | undefined;
}

export interface Transcription {
  text: string;
  language?: string | undefined;
  duration_ms?: number | undefined;
}

export interface SpeechRecognizer {
  readonly provider: string;
  transcribe(request: TranscribeRequest): Promise<Transcription>;
}

export interface SynthesizeRequest {
  text: string;
  /** One of the synthesizer's `voices`; absent: its default for `language`. */
  voice?: string | undefined;
  format: 'pcm16' | 'mp3' | 'opus';
  /** For `pcm16`: the sample rate the caller wants (24000 by the contract). */
  sample_rate: number;
  language?: string | undefined;
  abortSignal?: AbortSignal | undefined;
  /** For logs and metrics only. */
  session_id?: string | undefined;
}

export interface SynthesizedChunk {
  audio: Buffer;
  format: 'pcm16' | 'mp3' | 'opus';
  sample_rate?: number | undefined;
  /** How long this chunk plays, milliseconds (0 when the encoded format does not say). */
  duration_ms: number;
}

/** Speaks the interviewer's replies (docs/protocol.md §9). Chunks come as they are made, so playback can start early. */
export interface SpeechSynthesizer {
  readonly provider: string;
  /** Voice names a client may ask for; the first is the default. */
  readonly voices: readonly string[];
  /** Output formats the provider makes itself; other formats are not offered. */
  readonly formats: ReadonlyArray<'pcm16' | 'mp3' | 'opus'>;
  synthesize(request: SynthesizeRequest): AsyncIterable<SynthesizedChunk>;
  /** Gets ready to speak soon (loads a voice), so the first reply does not wait for it. */
  warmUp?(): void;
  /** Frees what it holds (a worker thread); called at shutdown. */
  close?(): Promise<void>;
}
