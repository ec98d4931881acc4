import type { EvaluateRequest, InterviewEvaluator } from '../../interview/interview-ports.js';
import type { AnswerRecord, InterviewPlan, InterviewReport, InterviewSnapshot, Language } from '../../interview/interview-types.js';
import type { Recommendation, ScoringGuide, StageName } from '@viva/protocol/interview-schemas.js';
import { MIN_ANSWERS_FOR_YES, RECOMMENDATION_THRESHOLDS, nonAnswerConcerns } from '../../interview/rules/recommendation-check.js';
import { basisWords, otherAnswers } from './answer-judgement.js';
import { scoreQuestion } from './answer-scoring.js';
import type { QuestionScore } from './answer-scoring.js';
import { asksSomething } from '../../interview/rules/candidate-intent.js';
import { pickEvidenceQuotes } from './quote-extraction.js';
import { reportWordingFor } from './report-wording.js';
import { derivedScoringGuide, guideVerdict, scoringGuideEntry, scoringGuideOf } from './scoring-guide.js';
import type { ReportFacts } from './report-wording.js';

// the thresholds are the domain's, so both engines' recommendations mean the same
export { RECOMMENDATION_THRESHOLDS };
/**
 * Text heuristics cannot tell a strong candidate from a well-rehearsed one, so the built-in engine never
 * recommends above `yes`, and its report asks for a human review.
 */
const BUILTIN_RECOMMENDATION_CAP: Recommendation = 'yes';
const MAX_EVIDENCE_PER_COMPETENCY = 3;
const MAX_LISTED_COMPETENCIES = 3;

interface ScoredRecord {
  record: AnswerRecord;
  result: QuestionScore;
}

/** Follow-ups asked for what an answer lacked; a probe of a strong answer or the hint is not one (the hint counts in the score). */
function ordinaryFollowUps(record: AnswerRecord): number {
  return record.follow_ups.filter((followUp) => followUp.kind === undefined).length;
}

function roundToTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}

function recommend(overall: number, answered: number): Recommendation {
  const byScore: Recommendation =
    overall >= RECOMMENDATION_THRESHOLDS.strong_yes
      ? 'strong_yes'
      : overall >= RECOMMENDATION_THRESHOLDS.yes
        ? 'yes'
        : overall >= RECOMMENDATION_THRESHOLDS.lean_no
          ? 'lean_no'
          : 'no';
  const capped = byScore === 'strong_yes' ? BUILTIN_RECOMMENDATION_CAP : byScore;
  if (answered >= MIN_ANSWERS_FOR_YES || capped === 'no') return capped;
  return 'lean_no';
}

const REVIEW_NOTE = {
  en: 'The built-in engine never recommends above "yes": a person must review the transcript before any decision.',
  zh: '内置引擎的推荐最高为 “yes”：做出任何决定之前，必须由人阅读面试记录。',
} as const;

function recycledConcern(language: InterviewSnapshot['settings']['language'], recycled: number): string[] {
  if (recycled === 0) return [];
  return [language === 'zh' ? `有 ${recycled} 道题给出了与其他题相同的回答，这些回答只计 1 分。` : `Gave the same answer to ${recycled} different questions; those answers were scored 1.`];
}

/** Quotes from the main answers first, so evidence usually comes from each question's `answer` itself. */
function evidenceFrom(scored: readonly ScoredRecord[]): string[] {
  // evidence is what earned credit: never a recycled, off-topic or weak answer
  const answered = scored.filter(({ result }) => result.status === 'answered' && earnedCredit(result));
  const fromAnswers = answered.flatMap(({ record }) => pickEvidenceQuotes(record.answer, 2));
  const fromFollowUps =
    fromAnswers.length > 0
      ? []
      : answered.flatMap(({ record }) => record.follow_ups.flatMap((followUp) => pickEvidenceQuotes(followUp.answer, 1)));
  return [...new Set([...fromAnswers, ...fromFollowUps])].slice(0, MAX_EVIDENCE_PER_COMPETENCY);
}

function competenciesOf(scored: readonly ScoredRecord[]): InterviewReport['competencies'] {
  const groups = new Map<string, ScoredRecord[]>();
  for (const entry of scored) {
    if (entry.result.score === null) continue;
    groups.set(entry.record.competency, [...(groups.get(entry.record.competency) ?? []), entry]);
  }
  return [...groups].map(([name, entries]) => ({
    name,
    score: roundToTenth(mean(entries.map(({ result }) => result.score ?? 1))),
    evidence: evidenceFrom(entries),
  }));
}

function endingOf(snapshot: InterviewSnapshot): ReportFacts['ending'] {
  const { progress, plan, settings } = snapshot;
  const expected = Math.min(plan.questions.length, settings.question_count);
  if (progress.records.length >= expected && progress.pending_follow_up === null) return 'complete';
  return progress.end_reason === 'completed' ? 'time_ran_out' : 'ended_early';
}

/**
 * The guide these heuristics scored against: the one a built-in plan carries (or, for a plan stored before
 * guides, the same derived again). A model's plan carries the model's guide, which the heuristics do not
 * check, so a heuristic report of it (the fallback) shows the built-in guide for the question's stage.
 */
function guideOfRecord(plan: InterviewPlan, record: AnswerRecord, language: Language): ScoringGuide | undefined {
  const planned = plan.questions.find((question) => question.id === record.question_id);
  if (planned !== undefined && plan.created_by === 'builtin') return scoringGuideOf(planned, language);
  return derivedScoringGuide({ id: record.question_id, stage: record.stage }, language);
}

/** The heuristics that decided the score, then which level of the guide the answer met and why. */
function basisEntry(result: QuestionScore, stage: StageName, language: Language): { basis?: string[] } {
  const verdict = guideVerdict(result, stage, language);
  const basis = [...basisWords(result.basis, language), ...(verdict === undefined ? [] : [verdict])];
  return basis.length > 0 ? { basis } : {};
}

/** Builds the heuristic report; works for any snapshot, including an interview ended before any answer. */
export function evaluateInterview(snapshot: InterviewSnapshot): InterviewReport {
  const { settings, progress, plan } = snapshot;
  const language = settings.language;
  const wording = reportWordingFor(language);
  const scored: ScoredRecord[] = progress.records.map((record) => ({ record, result: scoreQuestion(record, otherAnswers(progress.records, record)) }));
  const answered = scored.filter(({ result }) => result.status === 'answered');
  const count = (status: QuestionScore['status']) => scored.filter(({ result }) => result.status === status).length;

  // skipped questions count as the lowest score, so skipping cannot raise the overall score
  const overallInputs = scored.flatMap(({ result }) =>
    result.score !== null ? [result.score] : result.status === 'skipped' ? [1] : [],
  );
  const overall = overallInputs.length === 0 ? 1 : Math.min(5, Math.max(1, roundToTenth(mean(overallInputs))));

  const competencies = competenciesOf(scored);
  const ranked = [...competencies].sort((left, right) => right.score - left.score);
  const share = (predicate: (result: QuestionScore) => boolean) =>
    answered.length === 0 ? 0 : answered.filter(({ result }) => predicate(result)).length / answered.length;
  const candidateTurn = scored.find(({ result }) => result.status === 'candidate_questions');

  const facts: ReportFacts = {
    candidateName: snapshot.candidate.name?.trim() || undefined,
    role: settings.role,
    level: settings.level,
    plannedAssessed: plan.questions.filter((question) => question.stage !== 'candidate_questions').length,
    plannedTotal: Math.min(plan.questions.length, settings.question_count),
    respondedAtEnd: candidateTurn !== undefined && candidateTurn.record.answer.trim() !== '',
    asked: progress.records.length,
    answered: answered.length,
    skipped: count('skipped'),
    unknown: count('unknown'),
    overall,
    strongest: ranked[0],
    // with every competency at the same score there is no weakest, and saying so would contradict itself
    weakest: ranked.length > 1 && ranked.at(-1)?.score !== ranked[0]?.score ? ranked.at(-1) : undefined,
    strongCompetencies: ranked.filter((competency) => competency.score >= 4).slice(0, MAX_LISTED_COMPETENCIES).map((competency) => competency.name),
    // the weakest few, lowest first: a list of every weak area would bury the point
    weakCompetencies: [...ranked].reverse().filter((competency) => competency.score <= 2).slice(0, MAX_LISTED_COMPETENCIES).map((competency) => competency.name),
    exampleShare: share((result) => result.concrete),
    outcomeShare: share((result) => result.outcome),
    credited: {
      examples: answered.filter(({ result }) => earnedCredit(result) && result.concrete).length,
      exampleShare: share((result) => earnedCredit(result) && result.concrete),
      outcomeShare: share((result) => earnedCredit(result) && result.outcome),
      structureShare: share((result) => earnedCredit(result) && result.analysis.hasStructure),
    },
    averageWords: answered.length === 0 ? 0 : mean(answered.map(({ result }) => result.analysis.words)),
    // a figure is quoted as a result only from an answer that states one, and the last figure of it
    // ("from 200 ms to 40 ms": the 40 ms), never from an answer that earned no credit
    firstMetric: answered.filter(({ result }) => result.analysis.hasOutcome && earnedCredit(result)).map(({ result }) => result.analysis.metrics.at(-1)).find((metric) => metric !== undefined),
    followedUp: answered.filter(({ record }) => ordinaryFollowUps(record) > 0).length,
    askedQuestionsAtEnd: candidateTurn !== undefined && asksSomething(candidateTurn.record.answer),
    ending: endingOf(snapshot),
  };

  return {
    session_id: snapshot.session_id,
    candidate: { ...snapshot.candidate },
    interview: { role: settings.role, level: settings.level, language },
    started_at: progress.started_at,
    ended_at: progress.ended_at,
    ...(progress.end_reason === null ? {} : { end_reason: progress.end_reason }),
    method: 'heuristic',
    method_note: `${wording.methodNote} ${REVIEW_NOTE[language]}`,
    overall_score: overall,
    recommendation: recommend(overall, answered.length),
    summary: wording.summary(facts),
    competencies,
    questions: scored.map(({ record, result }) => ({
      question: record.question,
      stage: record.stage,
      answer: record.answer,
      follow_ups: record.follow_ups.map((followUp) => ({ ...followUp })),
      score: result.score,
      notes: wording.notes(result, record.stage, ordinaryFollowUps(record)),
      ...basisEntry(result, record.stage, language),
      ...scoringGuideEntry(guideOfRecord(plan, record, language)),
    })),
    strengths: wording.strengths(facts),
    concerns: [
      ...wording.concerns(facts),
      ...recycledConcern(language, scored.filter(({ result }) => result.recycled).length),
      ...nonAnswerConcerns(progress, language),
    ],
  };
}

/** Whether an answer may stand behind evidence or a strength: given to this question only, scored 3 or more. */
function earnedCredit(result: QuestionScore): boolean {
  return !result.recycled && (result.score ?? 1) >= 3;
}

/** Scores interviews with transparent text heuristics; see the report's `method_note`. */
export class BuiltinEvaluator implements InterviewEvaluator {
  readonly provider = 'builtin';

  evaluate(request: EvaluateRequest): Promise<InterviewReport> {
    request.abortSignal?.throwIfAborted();
    return Promise.resolve(evaluateInterview(request.snapshot));
  }
}
