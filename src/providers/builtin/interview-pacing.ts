import type { PlannedQuestion } from '../../interview/interview-types.js';
import type { RoleTrack } from './question-bank-types.js';
import { isSoftwareRole } from './role-track-matcher.js';
import { conclude, isTimeUp, nextQuestionIndex, say } from './turn-state.js';
import type { Turn, TurnOutcome } from './turn-state.js';

/**
 * Moving through the plan: leads and stage transitions before each question, the next question,
 * and the closing once the plan, the question budget or the time is spent.
 */

const KNOWN_TRACKS: readonly RoleTrack[] = ['backend', 'frontend', 'data_ml', 'product', 'general'];

function technicalTransitionKey(turn: Turn): RoleTrack | 'general_role' {
  const track = KNOWN_TRACKS.find((known) => known === turn.snapshot.plan.track) ?? 'general';
  return track === 'general' && !isSoftwareRole(turn.snapshot.plan.role) ? 'general_role' : track;
}

/** "Let's start with an easy one." before the first question, a transition when the stage changes, else a short lead. */
function sayQuestionLead(turn: Turn, question: PlannedQuestion, first: boolean): void {
  const phrases = turn.phrases;
  if (first) {
    say(turn, question.stage === 'opening' ? phrases.firstQuestionLead.opening : phrases.firstQuestionLead.other, 'first-lead');
    return;
  }
  const previousStage = turn.snapshot.plan.questions[turn.progress.current_index]?.stage;
  if (question.stage === previousStage || question.stage === 'opening' || question.stage === 'closing') {
    say(turn, phrases.nextQuestionLead, 'next-lead');
  } else if (question.stage === 'technical') {
    say(turn, phrases.technicalTransition[technicalTransitionKey(turn)], 'transition');
  } else {
    say(turn, phrases.stageTransition[question.stage], 'transition');
  }
}

/** Asks plan question `index` and records it as asked. */
export function askQuestion(turn: Turn, index: number, first: boolean): TurnOutcome {
  const question = turn.snapshot.plan.questions[index];
  if (question === undefined) return finish(turn, 'plan');
  sayQuestionLead(turn, question, first);
  turn.sentences.push(question.text);
  const progress = turn.progress;
  progress.current_index = index;
  progress.pending_follow_up = null;
  progress.last_question = question.text;
  progress.records.push({
    question_id: question.id,
    question: question.text,
    stage: question.stage,
    competency: question.competency,
    answer: '',
    follow_ups: [],
    skipped: false,
    unknown: false,
  });
  return conclude(turn);
}

/** The warm wrap-up: thanks, what happens next, goodbye. Completes the interview. */
export function finish(turn: Turn, reason: 'plan' | 'time'): TurnOutcome {
  const phrases = turn.phrases;
  say(turn, reason === 'time' ? phrases.timeUp : phrases.closingIntro, 'closing-intro');
  turn.sentences.push(phrases.closingThanks(turn.candidateName), phrases.closingNextSteps);
  say(turn, phrases.closingFarewell, 'farewell');
  const progress = turn.progress;
  progress.state = 'completed';
  progress.end_reason = 'completed';
  progress.ended_at = turn.now.toISOString();
  progress.pending_follow_up = null;
  return conclude(turn, { ended: true });
}

/** After an answer: the next question, or the closing when the plan, the question budget or the time is spent. */
export function moveOn(turn: Turn): TurnOutcome {
  if (isTimeUp(turn)) return finish(turn, 'time');
  const next = nextQuestionIndex(turn);
  if (next === undefined || turn.progress.records.length >= turn.snapshot.settings.question_count) {
    return finish(turn, 'plan');
  }
  return askQuestion(turn, next, false);
}
