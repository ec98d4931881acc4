import type { EndReason, InterviewStatus } from '@viva/protocol/interview-schemas.js';
import type { EndProgress } from './interview-ports.js';
import type { InterviewPlan, InterviewProgress } from './interview-types.js';

/**
 * Where an interview stands, as clients see it (`connected`, `ai_response`).
 *
 * - before the first question: stage `opening`, question_number 0;
 * - in progress: the stage of the question awaiting an answer and its 1-based number;
 * - completed: stage `closing`, question_number = how many main questions were asked.
 *
 * total_questions is the plan length (0 while there is no plan yet).
 */
export function describeInterview(plan: InterviewPlan | null, progress: InterviewProgress): InterviewStatus {
  const totalQuestions = plan?.questions.length ?? 0;
  if (progress.state === 'completed') {
    return {
      state: 'completed',
      stage: 'closing',
      question_number: progress.records.length,
      total_questions: totalQuestions,
    };
  }
  const current = progress.current_index >= 0 ? plan?.questions[progress.current_index] : undefined;
  if (current === undefined) {
    return { state: progress.state, stage: 'opening', question_number: 0, total_questions: totalQuestions };
  }
  // records hold one entry per main question asked, so their count is the current question's number
  // even when an interviewer passed over a plan entry (say, a duplicate); the index is the fallback
  const questionNumber = progress.records.length > 0 ? progress.records.length : progress.current_index + 1;
  return {
    state: progress.state,
    stage: current.stage,
    question_number: questionNumber,
    total_questions: totalQuestions,
  };
}

/**
 * Marks progress as ended (by the candidate, an admin, or completion). An interview that has already
 * ended keeps its original end time and reason, so ending twice is harmless.
 */
export const endProgress: EndProgress = (progress: InterviewProgress, reason: EndReason, now: Date) => {
  if (progress.state === 'completed') return progress;
  return {
    ...progress,
    records: progress.records.map((record) => ({ ...record, follow_ups: [...record.follow_ups] })),
    state: 'completed',
    ended_at: now.toISOString(),
    end_reason: reason,
    pending_follow_up: null,
  };
};
