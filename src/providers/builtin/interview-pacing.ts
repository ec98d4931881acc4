import type { PlannedQuestion } from '../../interview/interview-types.js';
import { isSoftwareRole } from '../../interview/rules/role-track.js';
import type { NextStep } from '../../interview/rules/turn-rules.js';
import type { RoleTrack } from './question-bank-types.js';
import { isOnTopic, isRecycled, otherAnswers } from './answer-judgement.js';
import { nonAnswerPhrasesFor } from './non-answer-phrasing.js';
import { say } from './turn-state.js';
import type { Turn } from './turn-state.js';

/**
 * The words for moving through the plan: leads and stage transitions before each question, the question
 * again, and the closing. Which of them the turn takes is the domain's NextStep.
 */

const KNOWN_TRACKS: readonly RoleTrack[] = ['backend', 'frontend', 'data_ml', 'product', 'general'];

function technicalTransitionKey(turn: Turn): RoleTrack | 'general_role' {
  const track = KNOWN_TRACKS.find((known) => known === turn.snapshot.plan.track) ?? 'general';
  return track === 'general' && !isSoftwareRole(turn.snapshot.plan.role) ? 'general_role' : track;
}

/** "Let's start with an easy one." before the first question, a transition when the stage changes, else a short lead. */
function sayQuestionLead(turn: Turn, question: PlannedQuestion, step: Extract<NextStep, { kind: 'question' }>): void {
  const phrases = turn.phrases;
  if (step.first) {
    say(turn, question.stage === 'opening' ? phrases.firstQuestionLead.opening : phrases.firstQuestionLead.other, 'first-lead');
    return;
  }
  if (question.stage === step.previousStage || question.stage === 'opening' || question.stage === 'closing') {
    say(turn, phrases.nextQuestionLead, 'next-lead');
  } else if (question.stage === 'technical') {
    say(turn, phrases.technicalTransition[technicalTransitionKey(turn)], 'transition');
  } else {
    say(turn, phrases.stageTransition[question.stage], 'transition');
  }
}

/**
 * Whether the candidate shared anything to thank them for: at least two questions answered (not with the
 * same answer), at least one of them on its topic, and fewer messages that were abuse or injection than
 * answers. Otherwise the closing thanks them for their time only.
 */
function sharedAnything(turn: Turn): boolean {
  const progress = turn.snapshot.progress;
  const answered = progress.records.filter(
    (record) =>
      record.stage !== 'candidate_questions' &&
      !record.skipped &&
      record.answer.trim() !== '' &&
      !isRecycled(record.answer, otherAnswers(progress.records, record)),
  );
  return answered.length >= 2 && answered.some((record) => isOnTopic(record, record.answer)) && (progress.non_answers?.length ?? 0) < answered.length;
}

/** The wrap-up: thanks (warm only when the candidate really took part), what happens next, goodbye. */
function sayClosing(turn: Turn, reason: 'plan' | 'time'): void {
  const phrases = turn.phrases;
  say(turn, reason === 'time' ? phrases.timeUp : phrases.closingIntro, 'closing-intro');
  const thanks = sharedAnything(turn) ? phrases.closingThanks(turn.candidateName) : nonAnswerPhrasesFor(turn.language).closingThanksPlain(turn.candidateName);
  turn.sentences.push(thanks, phrases.closingNextSteps);
  say(turn, phrases.closingFarewell, 'farewell');
}

/** Says the step the domain planned: the next question with its lead, the same question again after `again`, or the closing. */
export function sayStep(turn: Turn, step: NextStep, again?: { lead: readonly string[]; purpose: string }): void {
  switch (step.kind) {
    case 'question':
      sayQuestionLead(turn, step.question, step);
      turn.sentences.push(step.question.text);
      return;
    case 'same_question':
      if (again !== undefined) say(turn, again.lead, again.purpose);
      turn.sentences.push(step.question);
      return;
    case 'closing':
      sayClosing(turn, step.reason);
      return;
    case 'none':
      return;
  }
}
