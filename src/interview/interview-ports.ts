import type { AudioFormat } from '../protocol/client-messages.js';
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
  now: Date;
  abortSignal?: AbortSignal | undefined;
  /** Called with each piece of the reply as it is produced, in order; the pieces join to `reply`. */
  onDelta?: ((delta: string) => void) | undefined;
}

export interface RespondResult {
  reply: string;
  /** The progress after this turn; the caller stores it with the reply in one transaction. */
  progress: InterviewProgress;
  /** The reply is a follow-up to the previous question rather than a new one. */
  follow_up: boolean;
  /** This turn completed the interview (plan or budget done). */
  ended: boolean;
  /** The reply was cut short by the abort signal; `reply` holds what was produced. */
  cancelled?: boolean;
}

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
