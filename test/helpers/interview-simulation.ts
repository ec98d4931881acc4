import { resolveSettings } from '../../src/interview/interview-settings.js';
import { initialProgress } from '../../src/interview/interview-types.js';
import type { Candidate, InterviewSettingsInput, InterviewSnapshot } from '../../src/interview/interview-types.js';
import type { CandidateInput, RespondResult } from '../../src/interview/interview-ports.js';
import { buildInterviewPlan } from '../../src/providers/builtin/plan-builder.js';
import { decideTurn } from '../../src/providers/builtin/interview-turn.js';

/**
 * Drives the built-in engine the way the session coordinator does (snapshot in, progress and history
 * out), without a server. Used by the tests and handy for reading whole conversations while tuning
 * the wording.
 */
export function createSnapshot(
  sessionId: string,
  settings: InterviewSettingsInput = {},
  candidate: Candidate = {},
): InterviewSnapshot {
  const resolved = resolveSettings(settings);
  return {
    session_id: sessionId,
    candidate,
    settings: resolved,
    plan: buildInterviewPlan(sessionId, resolved),
    progress: initialProgress(),
    history: [],
  };
}

/** The snapshot after a turn: its progress, and the exchange appended to the history. */
export function applyTurn(
  snapshot: InterviewSnapshot,
  input: CandidateInput,
  result: Pick<RespondResult, 'reply' | 'progress' | 'cancelled'>,
): InterviewSnapshot {
  return {
    ...snapshot,
    progress: result.progress,
    history: [
      ...snapshot.history,
      { candidate: input.kind === 'answer' ? input.text : null, interviewer: result.reply, cancelled: result.cancelled === true },
    ],
  };
}

/** One synchronous turn: the decision and the snapshot that follows it. */
export function simulateTurn(
  snapshot: InterviewSnapshot,
  input: CandidateInput,
  now: Date,
): { result: ReturnType<typeof decideTurn>; next: InterviewSnapshot } {
  const result = decideTurn(snapshot, input, now);
  return { result, next: applyTurn(snapshot, input, result) };
}
