import { resolveSettings } from '../../src/interview/interview-settings.js';
import { initialProgress } from '../../src/interview/interview-types.js';
import type { Candidate, InterviewSettingsInput, InterviewSnapshot } from '../../src/interview/interview-types.js';
import type { CandidateInput } from '../../src/interview/interview-ports.js';
import { planTurn, settleTurn } from '../../src/interview/rules/turn-rules.js';
import type { TurnResult } from '../../src/interview/rules/turn-runner.js';
import { buildInterviewPlan } from '../../src/providers/builtin/plan-builder.js';
import { writeTurn } from '../../src/providers/builtin/interview-turn.js';

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
  result: Pick<TurnResult, 'reply' | 'progress' | 'cancelled'>,
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

/** One built-in turn, synchronously, as the coordinator takes it: planned by the domain, written, settled. */
export function decideTurn(snapshot: InterviewSnapshot, input: CandidateInput, now: Date): TurnResult {
  const plan = planTurn(snapshot, input, now);
  const written = writeTurn(snapshot, plan);
  return { reply: written.reply, ...settleTurn(plan, written.decision) };
}

/** One synchronous turn: the decision and the snapshot that follows it. */
export function simulateTurn(
  snapshot: InterviewSnapshot,
  input: CandidateInput,
  now: Date,
): { result: TurnResult; next: InterviewSnapshot } {
  const result = decideTurn(snapshot, input, now);
  return { result, next: applyTurn(snapshot, input, result) };
}
