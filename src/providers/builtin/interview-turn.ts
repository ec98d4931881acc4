import type { CandidateInput } from '../../interview/interview-ports.js';
import type { AnswerRecord, InterviewProgress, InterviewSnapshot, StageName } from '../../interview/interview-types.js';
import { analyzeAnswer, missingAspects } from './answer-analysis.js';
import type { AnswerAnalysis, MissingAspect } from './answer-analysis.js';
import { asksSomething, detectIntent, hasNoQuestions } from './candidate-intent.js';
import type { CandidateIntent } from './candidate-intent.js';
import { aspectOfFollowUp, chooseFollowUp } from './follow-up-questions.js';
import { askQuestion, finish, moveOn } from './interview-pacing.js';
import { findKeywordMention } from './keyword-matching.js';
import { findBankQuestion } from './question-bank-registry.js';
import { conclude, currentRecord, isTimeUp, nextQuestionIndex, openTurn, say } from './turn-state.js';
import type { Turn, TurnOutcome } from './turn-state.js';

export type { TurnOutcome } from './turn-state.js';

/**
 * The interviewer's decisions, one turn at a time:
 * - not greeted yet (a `start`, or a first message such as "Hello"): greet, say how it goes, ask the
 *   first question; that first message is small talk and is not recorded as an answer;
 * - "repeat": the last question again; "skip": marked skipped; "I don't know": reassured, marked unknown;
 * - an answer: recorded; a thin one gets a follow-up aimed at what is missing (an example, the outcome,
 *   more detail), at most two per question and never the same aspect twice; otherwise a brief thanks
 *   and the next question, with a transition when the stage changes;
 * - the plan, the question budget or the time spent: a warm closing that completes the interview.
 */

/** Follow-ups allowed per main question, by stage: stories and technical answers get up to two. */
export const MAX_FOLLOW_UPS: Readonly<Record<StageName, number>> = {
  opening: 1,
  experience: 2,
  technical: 2,
  behavioral: 2,
  candidate_questions: 0,
  closing: 0,
};

/** A follow-up answer shorter than this never counts as filling the gap it was asked about. */
const SUBSTANTIVE_FOLLOW_UP_WORDS = 8;

/** The one and only greeting, then the first question. */
function greet(turn: Turn): TurnOutcome {
  const { settings, plan } = turn.snapshot;
  const progress = turn.progress;
  progress.state = 'in_progress';
  progress.started_at ??= turn.now.toISOString();
  progress.greeted = true;
  turn.sentences.push(
    turn.phrases.greeting(turn.candidateName, settings.role),
    turn.phrases.howItGoes(Math.min(settings.question_count, plan.questions.length), settings.max_minutes),
  );
  // a question asked without a greeting (which only another engine could do) is asked again, not skipped
  const pending = currentRecord(turn);
  if (pending !== undefined && progress.last_question !== null) {
    say(turn, turn.phrases.resumeLead, 'resume');
    turn.sentences.push(progress.last_question);
    return conclude(turn, { follow_up: progress.pending_follow_up !== null });
  }
  const first = nextQuestionIndex(turn);
  return first === undefined ? finish(turn, 'plan') : askQuestion(turn, first, true);
}

/** "Could you repeat that?" and a reconnecting candidate: the last question again, progress unchanged. */
function askAgain(turn: Turn, lead: readonly string[], purpose: string): TurnOutcome {
  const lastQuestion = turn.progress.last_question;
  if (lastQuestion === null) return moveOn(turn);
  say(turn, lead, purpose);
  turn.sentences.push(lastQuestion);
  return conclude(turn, { follow_up: turn.progress.pending_follow_up !== null });
}

function appendAnswer(existing: string, text: string): string {
  return existing === '' ? text : `${existing}\n${text}`;
}

/** A short thanks, quoting a figure or a term from the answer on alternate turns so it sounds attentive. */
function acknowledge(turn: Turn, answer: string, analysis: AnswerAnalysis, questionId: string, kind: 'strong' | 'plain' | 'after_follow_up'): void {
  const phrases = turn.phrases;
  if (kind === 'plain') {
    say(turn, phrases.acknowledgePlain, 'acknowledge-plain');
    return;
  }
  if (turn.rotation % 2 === 0) {
    const metric = analysis.metrics[0];
    if (metric !== undefined) {
      say(turn, phrases.acknowledgeMetric, 'acknowledge-metric', { metric });
      return;
    }
    const highlight = findKeywordMention(answer, findBankQuestion(questionId)?.keywords ?? []);
    if (highlight !== undefined) {
      say(turn, phrases.acknowledgeHighlight, 'acknowledge-highlight', { highlight });
      return;
    }
  }
  say(turn, kind === 'strong' ? phrases.acknowledgeStrong : phrases.acknowledgeAfterFollowUp, `acknowledge-${kind}`);
}

/** Every follow-up asked so far in the interview, so none is ever asked twice. */
function followUpsAsked(progress: InterviewProgress): Set<string> {
  const asked = new Set(progress.records.flatMap((record) => record.follow_ups.map((followUp) => followUp.question)));
  if (progress.pending_follow_up !== null) asked.add(progress.pending_follow_up);
  return asked;
}

/** Asks a follow-up when the answer lacks something not yet asked about, within the per-question limit. */
function tryFollowUp(turn: Turn, record: AnswerRecord): TurnOutcome | undefined {
  if (isTimeUp(turn) || record.follow_ups.length >= MAX_FOLLOW_UPS[record.stage]) return undefined;
  const everything = [record.answer, ...record.follow_ups.map((followUp) => followUp.answer)].join('\n');
  const alreadyProbed = new Set(record.follow_ups.map((followUp) => aspectOfFollowUp(followUp.question)));
  const missing = missingAspects(analyzeAnswer(everything), record.stage).filter(
    (aspect: MissingAspect) => !alreadyProbed.has(aspect),
  );
  const choice = chooseFollowUp({
    missing,
    stage: record.stage,
    language: turn.language,
    answer: everything,
    alreadyAsked: followUpsAsked(turn.progress),
    seed: `${turn.snapshot.session_id}:${record.question_id}:${record.follow_ups.length}`,
  });
  if (choice === undefined) return undefined;
  turn.sentences.push(choice.text);
  turn.progress.pending_follow_up = choice.text;
  turn.progress.last_question = choice.text;
  return conclude(turn, { follow_up: true });
}

/** The candidate replied to a main question. */
function answerMainQuestion(turn: Turn, record: AnswerRecord, text: string, intent: CandidateIntent): TurnOutcome {
  const phrases = turn.phrases;
  if (record.stage === 'candidate_questions') {
    // their turn to ask: whatever they say is an answer, and we never probe it
    record.answer = appendAnswer(record.answer, text);
    const none = intent === 'skip' || intent === 'unknown' || hasNoQuestions(text);
    const reaction = none
      ? phrases.candidateHasNoQuestions
      : asksSomething(text)
        ? phrases.candidateAskedSomething
        : phrases.candidateCommented;
    say(turn, reaction, 'candidate-question');
    return moveOn(turn);
  }
  if (intent === 'skip') {
    record.skipped = true;
    say(turn, phrases.skipped, 'skipped');
    return moveOn(turn);
  }
  if (intent === 'unknown') {
    record.unknown = true;
    record.answer = appendAnswer(record.answer, text);
    say(turn, phrases.unknown, 'unknown');
    return moveOn(turn);
  }
  record.answer = appendAnswer(record.answer, text);
  const followUp = tryFollowUp(turn, record);
  if (followUp !== undefined) return followUp;
  const analysis = analyzeAnswer(record.answer);
  const complete = missingAspects(analysis, record.stage).length === 0;
  acknowledge(turn, record.answer, analysis, record.question_id, complete ? 'strong' : 'plain');
  return moveOn(turn);
}

/** Whether a follow-up answer gave what the follow-up asked for; only then is it thanked as filling the gap. */
function answersAspect(analysis: AnswerAnalysis, aspect: MissingAspect | undefined): boolean {
  if (analysis.words < SUBSTANTIVE_FOLLOW_UP_WORDS) return false;
  switch (aspect) {
    case 'example':
      return analysis.hasExample;
    case 'outcome':
      return analysis.hasOutcome;
    case 'detail':
    case undefined:
      return analysis.words >= SUBSTANTIVE_FOLLOW_UP_WORDS * 2 || analysis.hasExample || analysis.hasOutcome;
  }
}

/** The candidate replied to a follow-up question. */
function answerFollowUp(turn: Turn, record: AnswerRecord, followUpQuestion: string, text: string, intent: CandidateIntent): TurnOutcome {
  record.follow_ups.push({ question: followUpQuestion, answer: text });
  turn.progress.pending_follow_up = null;
  // declining a follow-up is fine: the main question was answered, so nothing is marked skipped
  if (intent === 'skip' || intent === 'unknown') {
    say(turn, intent === 'skip' ? turn.phrases.skipped : turn.phrases.unknown, intent);
    return moveOn(turn);
  }
  const another = tryFollowUp(turn, record);
  if (another !== undefined) return another;
  const analysis = analyzeAnswer(text);
  acknowledge(turn, text, analysis, record.question_id, answersAspect(analysis, aspectOfFollowUp(followUpQuestion)) ? 'after_follow_up' : 'plain');
  return moveOn(turn);
}

/**
 * Decides the interviewer's next turn from the session snapshot and the candidate's input. Pure: the
 * snapshot is never modified; the returned progress is a new object.
 */
export function decideTurn(snapshot: InterviewSnapshot, input: CandidateInput, now: Date): TurnOutcome {
  const turn = openTurn(snapshot, now);
  if (turn.progress.state === 'completed') {
    turn.sentences.push(turn.phrases.alreadyCompleted);
    return conclude(turn);
  }
  if (!turn.progress.greeted) return greet(turn);
  if (input.kind === 'start') {
    return isTimeUp(turn) ? finish(turn, 'time') : askAgain(turn, turn.phrases.resumeLead, 'resume');
  }

  const text = input.text.trim();
  const intent = detectIntent(text);
  if (intent === 'repeat') {
    return isTimeUp(turn) ? finish(turn, 'time') : askAgain(turn, turn.phrases.repeatLead, 'repeat');
  }
  const record = currentRecord(turn);
  if (record === undefined) return moveOn(turn);
  const pendingFollowUp = turn.progress.pending_follow_up;
  return pendingFollowUp === null
    ? answerMainQuestion(turn, record, text, intent)
    : answerFollowUp(turn, record, pendingFollowUp, text, intent);
}
