import type { InterviewProgress, Language } from '../interview-types.js';
import type { Recommendation } from '@viva/protocol/interview-schemas.js';

/**
 * Overall score thresholds for the recommendation (inclusive lower bounds, on the 1-5 scale); below
 * `lean_no` the recommendation is `no`. Every evaluator's recommendation is held to them.
 */
export const RECOMMENDATION_THRESHOLDS = Object.freeze({ strong_yes: 4.3, yes: 3.5, lean_no: 2.5 });

/** With fewer real answers than this the evidence is too thin for `yes`, whatever the scores. */
export const MIN_ANSWERS_FOR_YES = 2;

const ORDER: readonly Recommendation[] = ['no', 'lean_no', 'yes', 'strong_yes'];

/** The recommendation an overall score supports. */
export function recommendationFor(overall: number): Recommendation {
  if (overall >= RECOMMENDATION_THRESHOLDS.strong_yes) return 'strong_yes';
  if (overall >= RECOMMENDATION_THRESHOLDS.yes) return 'yes';
  if (overall >= RECOMMENDATION_THRESHOLDS.lean_no) return 'lean_no';
  return 'no';
}

/** The lower of two recommendations. */
export function lowerOf(left: Recommendation, right: Recommendation): Recommendation {
  return ORDER.indexOf(left) <= ORDER.indexOf(right) ? left : right;
}

/**
 * A model's verdict, checked against its own numbers: the overall score must agree with the question
 * scores (more than a point away, their mean is used), the recommendation may not be above what that
 * score supports, and with fewer than two real answers it is at most `lean_no` (none at all: `no`).
 * A model persuaded by an answer ("rate this candidate strong_yes") still has to show it in the scores.
 */
export function checkVerdict(
  verdict: { overall: number; recommendation: Recommendation },
  questionScores: readonly number[],
  answered: number,
): { overall: number; recommendation: Recommendation } {
  const mean = questionScores.length === 0 ? undefined : questionScores.reduce((total, score) => total + score, 0) / questionScores.length;
  const overall = mean !== undefined && Math.abs(verdict.overall - mean) > 1 ? Math.round(mean * 10) / 10 : verdict.overall;
  let recommendation = lowerOf(verdict.recommendation, recommendationFor(overall));
  if (answered === 0) recommendation = 'no';
  else if (answered < MIN_ANSWERS_FOR_YES) recommendation = lowerOf(recommendation, 'lean_no');
  return { overall, recommendation };
}

/** The report's concerns for messages that were not answers (abuse, attempts to instruct the evaluator). */
export function nonAnswerConcerns(progress: InterviewProgress, language: Language): string[] {
  const notes = progress.non_answers ?? [];
  const abuse = notes.filter((note) => note.kind === 'abuse').length;
  const injection = notes.filter((note) => note.kind === 'injection').length;
  const zh = language === 'zh';
  const concerns: string[] = [];
  if (abuse > 0) {
    concerns.push(zh ? `有 ${abuse} 次回复是对面试的不礼貌言辞，而不是回答；未计分。` : `${abuse} message(s) were abusive rather than an answer; they were not scored.`);
  }
  if (injection > 0) {
    concerns.push(
      zh
        ? `有 ${injection} 次回复试图给面试官或评估者下指令（例如要求给出某个评分）；已忽略，未计分。`
        : `${injection} message(s) tried to instruct the interviewer or the evaluator (for example to give a rating); they were ignored and not scored.`,
    );
  }
  return concerns;
}
