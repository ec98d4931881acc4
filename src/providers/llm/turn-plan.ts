import type { CandidateInput } from '../../interview/interview-ports.js';
import type { InterviewProgress, InterviewSnapshot, PlannedQuestion } from '../../interview/interview-types.js';
import { analyzeAnswer, missingAspects, type MissingAspect } from '../builtin/answer-analysis.js';
import { detectIntent } from '../builtin/candidate-intent.js';
import { moveOn } from '../builtin/interview-pacing.js';
import { MAX_FOLLOW_UPS, decideTurn } from '../builtin/interview-turn.js';
import { copyProgress, isTimeUp, openTurn } from '../builtin/turn-state.js';

/**
 * Where a turn takes the interview, decided by the built-in engine's rules so that both engines keep
 * InterviewProgress the same way (a session can switch between them on any turn, as the fallback does):
 * greeting once, "repeat", "skip", "I don't know", the question and time budgets, the closing. The model
 * writes the words, and makes the one judgement a model makes better than heuristics: whether an answer
 * deserves a follow-up question, within the built-in per-question limit.
 */

export type Situation =
  | 'completed'
  | 'greeting'
  | 'resume'
  | 'repeat'
  | 'answer'
  | 'skip'
  | 'unknown'
  | 'candidate_question';

/** What the reply does after reacting, when it does not follow up. */
export type NextStep =
  | { kind: 'question'; question: PlannedQuestion; stageChanged: boolean }
  | { kind: 'same_question'; question: string }
  | { kind: 'closing'; reason: 'plan' | 'time' }
  | { kind: 'none' };

export interface PlannedOutcome {
  progress: InterviewProgress;
  follow_up: boolean;
  ended: boolean;
}

export interface FollowUpOption {
  /** The built-in heuristics would follow up here. */
  preferred: boolean;
  /** What the heuristics find missing in the answer (a hint for the model). */
  missing: MissingAspect[];
  /** Follow-ups still allowed for this question. */
  remaining: number;
  /** The progress after asking `question` as a follow-up. */
  outcome(question: string): PlannedOutcome;
}

export interface TurnPlan {
  situation: Situation;
  next: PlannedOutcome & { step: NextStep };
  /** Present when the model may follow up instead of moving on. */
  followUp?: FollowUpOption | undefined;
}

function timeIsUp(snapshot: InterviewSnapshot, progress: InterviewProgress, now: Date): boolean {
  return isTimeUp(openTurn({ ...snapshot, progress }, now));
}

/** How `after` moved on from `before`: a new question, the same one again, or the closing. */
function stepOf(snapshot: InterviewSnapshot, before: InterviewProgress, after: PlannedOutcome, now: Date): NextStep {
  if (after.ended) return { kind: 'closing', reason: timeIsUp(snapshot, after.progress, now) ? 'time' : 'plan' };
  const questions = snapshot.plan.questions;
  if (after.progress.records.length > before.records.length) {
    const question = questions[after.progress.current_index];
    if (question !== undefined) {
      const previous = questions[before.current_index];
      return { kind: 'question', question, stageChanged: previous !== undefined && previous.stage !== question.stage };
    }
  }
  return after.progress.last_question === null ? { kind: 'none' } : { kind: 'same_question', question: after.progress.last_question };
}

function withStep(snapshot: InterviewSnapshot, before: InterviewProgress, outcome: PlannedOutcome, now: Date): TurnPlan['next'] {
  return {
    progress: outcome.progress,
    follow_up: outcome.follow_up,
    ended: outcome.ended,
    step: stepOf(snapshot, before, outcome, now),
  };
}

/** Records an answer to the question awaiting one (main or follow-up), as the built-in engine does. */
function recordAnswer(progress: InterviewProgress, text: string): InterviewProgress {
  const recorded = copyProgress(progress);
  const record = recorded.records.at(-1);
  if (record === undefined) return recorded;
  if (recorded.pending_follow_up === null) {
    record.answer = record.answer === '' ? text : `${record.answer}\n${text}`;
  } else {
    record.follow_ups.push({ question: recorded.pending_follow_up, answer: text });
    recorded.pending_follow_up = null;
  }
  return recorded;
}

export function planTurn(snapshot: InterviewSnapshot, input: CandidateInput, now: Date): TurnPlan {
  const before = snapshot.progress;
  const builtin = decideTurn(snapshot, input, now);
  const plain = (situation: Situation): TurnPlan => ({ situation, next: withStep(snapshot, before, builtin, now) });

  if (before.state === 'completed') return { situation: 'completed', next: { ...builtin, step: { kind: 'none' } } };
  if (!before.greeted) return plain('greeting');
  if (input.kind === 'start') return plain('resume');

  const text = input.text.trim();
  const intent = detectIntent(text);
  if (intent === 'repeat') return plain('repeat');
  const question = snapshot.plan.questions[before.current_index];
  const record = before.records.at(-1);
  // no question awaiting an answer (only another engine could leave it so): the built-in moves on
  if (question === undefined || record?.question_id !== question.id) return plain('answer');
  if (record.stage === 'candidate_questions') return plain('candidate_question');
  if (intent === 'skip') return plain('skip');
  if (intent === 'unknown') return plain('unknown');

  const recorded = recordAnswer(before, text);
  const moved = moveOn(openTurn({ ...snapshot, progress: recorded }, now));
  const recordedRecord = recorded.records.at(-1);
  const remaining = recordedRecord === undefined ? 0 : MAX_FOLLOW_UPS[recordedRecord.stage] - recordedRecord.follow_ups.length;
  const next = withStep(snapshot, before, { progress: moved.progress, follow_up: false, ended: moved.ended }, now);
  if (recordedRecord === undefined || remaining <= 0 || timeIsUp(snapshot, recorded, now)) return { situation: 'answer', next };

  const everything = [recordedRecord.answer, ...recordedRecord.follow_ups.map((followUp) => followUp.answer)].join('\n');
  return {
    situation: 'answer',
    next,
    followUp: {
      preferred: builtin.follow_up && !builtin.ended,
      missing: missingAspects(analyzeAnswer(everything), recordedRecord.stage),
      remaining,
      outcome: (followUpQuestion) => {
        const progress = copyProgress(recorded);
        progress.pending_follow_up = followUpQuestion;
        progress.last_question = followUpQuestion;
        return { progress, follow_up: true, ended: false };
      },
    },
  };
}
