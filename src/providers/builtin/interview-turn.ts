import type { AnswerRecord, InterviewSnapshot } from '../../interview/interview-types.js';
import { asksSomething, hasNoQuestions } from '../../interview/rules/candidate-intent.js';
import type { RecordedInput, TurnPlan } from '../../interview/rules/turn-rules.js';
import { analyzeAnswer, missingAspects } from './answer-analysis.js';
import { isOnTopic, isRecycled, otherAnswers } from './answer-judgement.js';
import type { AnswerAnalysis, MissingAspect } from './answer-analysis.js';
import { aspectOfFollowUp, chooseDepthQuestion, chooseFollowUp, type AskedQuestions } from './follow-up-questions.js';
import { sayStep } from './interview-pacing.js';
import { nonAnswerPhrasesFor } from './non-answer-phrasing.js';
import { findKeywordMention } from './keyword-matching.js';
import { findBankQuestion } from './question-bank-registry.js';
import { conclude, openTurn, say } from './turn-state.js';
import type { Turn, TurnOutcome } from './turn-state.js';

export type { TurnOutcome } from './turn-state.js';

/**
 * The built-in interviewer's words and its one decision, for the turn the domain planned:
 * - the greeting (once), how it goes, the first question; a reconnect or "repeat": the question again;
 * - "skip": a neutral word, then the next question; "I don't know" to a main question: a reassuring word and
 *   one hint or a smaller version of the question (a second "I don't know" moves on);
 * - a strong answer at senior or lead level: thanks and one probe of its trade-offs or verification;
 * - an answer: a thin one gets a follow-up aimed at what is missing (an example, the outcome, more
 *   detail), never the same aspect twice, within the domain's per-question limit; otherwise a brief
 *   thanks and the next question, with a transition when the stage changes;
 * - the closing when the domain says the plan, the question budget or the time is spent.
 */

/** A follow-up answer shorter than this never counts as filling the gap it was asked about. */
const SUBSTANTIVE_FOLLOW_UP_WORDS = 8;

/** A short thanks, quoting a figure or a term from the answer on alternate turns so it sounds attentive. */
function acknowledge(turn: Turn, answer: string, analysis: AnswerAnalysis, questionId: string, kind: 'strong' | 'plain' | 'after_follow_up'): void {
  const phrases = turn.phrases;
  if (kind === 'plain') {
    say(turn, phrases.acknowledgePlain, 'acknowledge-plain');
    return;
  }
  if (turn.rotation % 2 === 0) {
    // a figure is quoted back only as a result ("from 200 ms to 40 ms": the 40 ms), never a baseline
    const metric = analysis.hasOutcome ? analysis.metrics.at(-1) : undefined;
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

/**
 * Whether a wording was asked as a follow-up so far in the interview, so none is ever asked twice. The set
 * of every follow-up asked is made only when a turn first asks, and once: most turns ask nothing, and one
 * that looks for a fresh wording late in a long interview asks about every ready-made one (they have all
 * been used by then), which scanned every record once per wording.
 */
function followUpsAsked(snapshot: InterviewSnapshot): AskedQuestions {
  const progress = snapshot.progress;
  let asked: Set<string> | undefined;
  return {
    has(text) {
      if (text === progress.pending_follow_up) return true;
      if (asked === undefined) {
        asked = new Set();
        for (const record of progress.records) for (const followUp of record.follow_ups) asked.add(followUp.question);
      }
      return asked.has(text);
    },
  };
}

/** A follow-up question when the answer lacks something not yet asked about. */
function chooseBuiltinFollowUp(turn: Turn, record: AnswerRecord): string | undefined {
  const everything = [record.answer, ...record.follow_ups.map((followUp) => followUp.answer)].join('\n');
  const alreadyProbed = new Set(record.follow_ups.map((followUp) => aspectOfFollowUp(followUp.question)));
  const missing = missingAspects(analyzeAnswer(everything), record.stage).filter((aspect: MissingAspect) => !alreadyProbed.has(aspect));
  return chooseFollowUp({
    missing,
    stage: record.stage,
    language: turn.language,
    answer: everything,
    alreadyAsked: followUpsAsked(turn.snapshot),
    seed: `${turn.snapshot.session_id}:${record.question_id}:${record.follow_ups.length}`,
  })?.text;
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

/** An answer (to the main question or a follow-up): a follow-up where allowed and useful, else thanks and the next step. */
function depthQuestion(turn: Turn, record: AnswerRecord, kind: 'probe' | 'hint'): string | undefined {
  return chooseDepthQuestion({
    kind,
    stage: record.stage,
    language: turn.language,
    alreadyAsked: followUpsAsked(turn.snapshot),
    seed: `${turn.snapshot.session_id}:${record.question_id}:${kind}`,
  });
}

/** A complete, on-topic answer to this question given to no other question: the only kind praised or probed. */
function isStrongAnswer(turn: Turn, record: AnswerRecord, analysis: AnswerAnalysis): boolean {
  return (
    record.stage !== 'opening' &&
    missingAspects(analysis, record.stage).length === 0 &&
    isOnTopic(record, record.answer) &&
    !isRecycled(record.answer, otherAnswers(turn.snapshot.progress.records, record))
  );
}

function reactToAnswer(turn: Turn, plan: TurnPlan, recorded: RecordedInput): TurnOutcome {
  const { record, followUpQuestion, text } = recorded;
  if (plan.followUp !== undefined) {
    const question = chooseBuiltinFollowUp(turn, record);
    if (question !== undefined) {
      turn.sentences.push(question);
      return conclude(turn, { kind: 'follow_up', question });
    }
  }
  if (followUpQuestion === undefined) {
    const analysis = analyzeAnswer(record.answer);
    // praise is for a complete answer to this question: not for one off its topic or given to another question too
    // (the warm-up question is thanked plainly: it is not assessed, so there is nothing to praise)
    const earned = isStrongAnswer(turn, record, analysis);
    acknowledge(turn, record.answer, analysis, record.question_id, earned ? 'strong' : 'plain');
    // a strong answer from a senior or lead candidate: one probe of its trade-offs or how it was verified
    const probe = earned && plan.followUp?.purpose === 'probe' ? depthQuestion(turn, record, 'probe') : undefined;
    if (probe !== undefined) {
      turn.sentences.push(probe);
      return conclude(turn, { kind: 'follow_up', question: probe, purpose: 'probe' });
    }
  } else {
    const analysis = analyzeAnswer(text);
    acknowledge(turn, text, analysis, record.question_id, answersAspect(analysis, aspectOfFollowUp(followUpQuestion)) ? 'after_follow_up' : 'plain');
  }
  sayStep(turn, plan.next.step);
  return conclude(turn);
}

/** Writes the built-in interviewer's reply to the turn the domain planned. Pure and deterministic. */
export function writeTurn(snapshot: InterviewSnapshot, plan: TurnPlan): TurnOutcome {
  const turn = openTurn(snapshot);
  const phrases = turn.phrases;
  const step = plan.next.step;
  const recorded = plan.recorded;
  const nonAnswer = nonAnswerPhrasesFor(turn.language);
  switch (plan.situation) {
    case 'completed':
      turn.sentences.push(phrases.alreadyCompleted);
      break;
    case 'greeting': {
      const { settings } = snapshot;
      turn.sentences.push(
        phrases.greeting(turn.candidateName, settings.role),
        phrases.howItGoes(Math.min(settings.question_count, snapshot.plan.questions.length), settings.max_minutes),
      );
      sayStep(turn, step, { lead: phrases.resumeLead, purpose: 'resume' });
      break;
    }
    case 'resume':
      if (plan.intent === 'where_were_we') sayStep(turn, step, { lead: nonAnswer.whereWereWeLead, purpose: 'where-were-we' });
      else sayStep(turn, step, { lead: phrases.resumeLead, purpose: 'resume' });
      break;
    case 'clarify':
      sayStep(turn, step, { lead: nonAnswer.clarifyLead, purpose: 'clarify' });
      break;
    case 'wait':
      say(turn, nonAnswer.wait, 'wait');
      break;
    case 'human':
      sayStep(turn, step, { lead: nonAnswer.human, purpose: 'human' });
      break;
    case 'language': {
      // said in the language asked for; the questions stay as planned
      const asked = nonAnswerPhrasesFor(plan.language ?? turn.language);
      sayStep(turn, step, { lead: asked.languageSwitch, purpose: 'language' });
      break;
    }
    case 'redirect':
      if (step.kind === 'same_question') {
        sayStep(turn, step, { lead: nonAnswer.redirectLead, purpose: 'redirect' });
      } else {
        say(turn, nonAnswer.redirectMoveOn, 'redirect-move-on');
        sayStep(turn, step);
      }
      break;
    case 'repeat':
      sayStep(turn, step, { lead: phrases.repeatLead, purpose: 'repeat' });
      break;
    case 'skip':
      say(turn, phrases.skipped, recorded?.followUpQuestion === undefined ? 'skipped' : 'skip');
      sayStep(turn, step);
      break;
    case 'unknown': {
      say(turn, phrases.unknown, 'unknown');
      // "I don't know" to a main question: one hint or a smaller version of it before moving on
      const hint = plan.followUp?.purpose === 'hint' && recorded !== undefined ? depthQuestion(turn, recorded.record, 'hint') : undefined;
      if (hint !== undefined) {
        turn.sentences.push(hint);
        return conclude(turn, { kind: 'follow_up', question: hint, purpose: 'hint' });
      }
      sayStep(turn, step);
      break;
    }
    case 'candidate_question': {
      // their turn to ask: whatever they say is an answer, and we never probe it
      const text = recorded?.text ?? '';
      const none = plan.intent === 'skip' || plan.intent === 'unknown' || hasNoQuestions(text);
      const reaction = none ? phrases.candidateHasNoQuestions : asksSomething(text) ? phrases.candidateAskedSomething : phrases.candidateCommented;
      say(turn, reaction, 'candidate-question');
      sayStep(turn, step);
      break;
    }
    case 'answer':
      if (recorded !== undefined) return reactToAnswer(turn, plan, recorded);
      sayStep(turn, step);
      break;
  }
  return conclude(turn);
}
