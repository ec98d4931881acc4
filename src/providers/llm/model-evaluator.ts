import type { EvaluateRequest, InterviewEvaluator } from '../../interview/interview-ports.js';
import type { AnswerRecord, InterviewReport, InterviewSnapshot, ScoringGuide } from '../../interview/interview-types.js';
import { stageScoringGuide } from '../../interview/rules/scoring-guide.js';
import { interviewReportSchema } from '@viva/protocol/interview-schemas.js';
import type { LanguageModel, ModelMessage } from '../language-model.js';
import { ProviderError } from '../provider-error.js';
import { estimateTokens } from '../token-estimate.js';
import { readModelJson } from './model-json.js';
import { LANGUAGE_NAMES, MIN_REPAIR_BUDGET_MS, type ModelRoleOptions } from './model-planner.js';
import { quoteSafe, type PromptLibrary } from './prompt-library.js';
import { checkVerdict, nonAnswerConcerns } from '../../interview/rules/recommendation-check.js';
import { verifyQuotes } from './quote-verification.js';
import { reportOutputSchema, type ReportOutput } from './report-output.js';

/** Share of the context budget the transcript may take in the evaluator's prompt. */
const TRANSCRIPT_SHARE = 0.75;

function roundToTenth(value: number): number {
  return Math.round(Math.min(5, Math.max(1, value)) * 10) / 10;
}

function hasAnswer(record: AnswerRecord): boolean {
  return !record.skipped && (record.answer.trim() !== '' || record.follow_ups.some((followUp) => followUp.answer.trim() !== ''));
}

function clip(text: string, characters: number): string {
  return text.length <= characters ? text : `${text.slice(0, characters)} […]`;
}

/**
 * The guide a question is scored against: the one its plan carries (written by the planner once per job),
 * or the domain's guide for its stage when the plan has none (a plan stored before guides existed).
 */
function guideOf(snapshot: InterviewSnapshot, record: AnswerRecord): ScoringGuide | undefined {
  const planned = snapshot.plan.questions.find((question) => question.id === record.question_id);
  if (planned?.scoring_guide !== undefined && planned.scoring_guide.length > 0) return planned.scoring_guide;
  return stageScoringGuide({ stage: record.stage, points: [], capped: false }, snapshot.settings.language);
}

/** The transcript for the evaluator, every answer clipped evenly when the whole would not fit. */
function transcriptOf(snapshot: InterviewSnapshot, maxTokens: number): string {
  const render = (characters: number) =>
    snapshot.progress.records
      .map((record, index) => {
        const flags = record.skipped ? ' [skipped]' : !hasAnswer(record) ? ' [unanswered]' : record.unknown ? ' [said they did not know]' : '';
        const lines = [`Q${index + 1} (${record.stage} · ${record.competency})${flags}: ${record.question}`];
        const guide = guideOf(snapshot, record);
        if (guide !== undefined) lines.push(`Guide: ${guide.map((entry) => `${entry.score} = ${quoteSafe(entry.description)}`).join(' | ')}`);
        // the candidate's words are fenced, as in the interviewer's prompt: an answer cannot close its
        // block and write transcript lines ("Q2 …", "Interviewer: excellent, 5/5") of its own
        const fenced = (text: string) => `Candidate:\n<<<\n${quoteSafe(clip(text.trim(), characters))}\n>>>`;
        if (record.answer.trim() !== '') lines.push(fenced(record.answer));
        for (const followUp of record.follow_ups) {
          lines.push(`F${followUp.kind === undefined ? '' : ` (${followUp.kind})`}: ${followUp.question}`, fenced(followUp.answer));
        }
        return lines.join('\n');
      })
      .join('\n\n');
  for (let characters = 4000; characters >= 100; characters = Math.floor(characters / 2)) {
    const transcript = render(characters);
    if (estimateTokens(transcript) <= maxTokens) return transcript;
  }
  return render(100);
}

/** Every piece of the candidate's own words, where evidence quotes must come from. */
function candidateWords(snapshot: InterviewSnapshot): string[] {
  return snapshot.progress.records.flatMap((record) => [record.answer, ...record.follow_ups.map((followUp) => followUp.answer)]).filter((text) => text.trim() !== '');
}

/**
 * Writes the report with the language model: competencies scored 1-5 against a rubric with evidence
 * quoted from the candidate's own words (quotes not found there word for word are dropped), per-question
 * scores and notes, strengths, concerns, a recommendation. The questions, answers and dates come from the
 * interview itself, never from the model. An unusable answer is sent back once; then this throws and the
 * fallback wrapper writes the heuristic report. An interview without a single answer gets the heuristic
 * report directly: there is nothing for a model to judge.
 */
export class ModelEvaluator implements InterviewEvaluator {
  readonly provider: string;

  constructor(
    private readonly model: LanguageModel,
    private readonly prompts: PromptLibrary,
    private readonly options: ModelRoleOptions,
    /** The heuristic report the model's judgement is laid over (the built-in evaluator, wired in create-providers). */
    private readonly baseline: InterviewEvaluator,
  ) {
    this.provider = model.provider;
  }

  async evaluate(request: EvaluateRequest): Promise<InterviewReport> {
    const { snapshot } = request;
    const base = await this.baseline.evaluate({ snapshot, abortSignal: request.abortSignal });
    // nothing to judge yet, or a provisional report asked for while the interview runs (GET /report can
    // be polled): the heuristic report, at no cost; the model writes the report of a finished interview
    if (!snapshot.progress.records.some(hasAnswer) || snapshot.progress.state !== 'completed') return base;

    const language = snapshot.settings.language;
    const competencies = [...new Set(snapshot.progress.records.map((record) => record.competency))];
    const messages: ModelMessage[] = [
      { role: 'system', content: this.prompts.render('evaluator', language, 'system') },
      {
        role: 'user',
        content: this.prompts.render('evaluator', language, 'user', {
          role: snapshot.settings.role,
          level: snapshot.settings.level,
          language_name: LANGUAGE_NAMES[language],
          competencies: competencies.join(language === 'zh' ? '、' : ', '),
          transcript: transcriptOf(snapshot, Math.floor(this.options.contextTokens * TRANSCRIPT_SHARE)),
        }),
      },
    ];
    let problems = '';
    const deadline = performance.now() + this.options.budgetMs;
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const budgetMs = deadline - performance.now();
      if (attempt > 1 && budgetMs < MIN_REPAIR_BUDGET_MS) break;
      const result = await this.model.generate({
        messages,
        responseFormat: 'json',
        abortSignal: request.abortSignal,
        budgetMs,
        telemetry: { operation: 'evaluate', sessionId: snapshot.session_id },
      });
      const read = readModelJson(result.text, reportOutputSchema);
      if (read.ok) {
        const report = interviewReportSchema.safeParse(this.reportFrom(snapshot, base, read.value));
        if (report.success) return report.data;
        problems = report.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
      } else {
        problems = read.problems;
      }
      messages.push(
        { role: 'assistant', content: result.text },
        { role: 'user', content: this.prompts.render('evaluator', language, 'repair', { problems }) },
      );
    }
    throw new ProviderError('bad_output', `The model's report was unusable: ${problems}`);
  }

  private reportFrom(snapshot: InterviewSnapshot, base: InterviewReport, output: ReportOutput): InterviewReport {
    const words = candidateWords(snapshot);
    const judged = new Map(output.questions.map((question) => [question.number, question]));
    const questions = base.questions.map((question, index) => {
      const verdict = judged.get(index + 1);
      // a question that was skipped or never answered has no score, whatever the model says
      const verdictScore = verdict?.score ?? null;
      const score = question.score === null ? null : verdictScore === null ? question.score : roundToTenth(verdictScore);
      const notes = verdict?.notes.trim();
      // the heuristics' basis and guide explain the heuristic score; the model scored against the plan's guide
      const { basis: _basis, scoring_guide: _heuristicGuide, ...rest } = question;
      const record = snapshot.progress.records[index];
      const guide = record === undefined ? undefined : guideOf(snapshot, record);
      return { ...rest, score, notes: notes === undefined || notes === '' ? question.notes : notes, ...(guide === undefined ? {} : { scoring_guide: guide }) };
    });
    const checked = checkVerdict(
      { overall: roundToTenth(output.overall_score), recommendation: output.recommendation },
      questions.flatMap((question) => (question.score === null ? [] : [question.score])),
      snapshot.progress.records.filter((record) => record.stage !== 'candidate_questions' && hasAnswer(record) && !record.unknown).length,
    );
    const language = snapshot.settings.language;
    return {
      ...base,
      method: 'llm',
      method_note: this.prompts.render('evaluator', language, 'method_note', { model: this.model.modelId }),
      overall_score: roundToTenth(checked.overall),
      recommendation: checked.recommendation,
      summary: output.summary,
      competencies: output.competencies.map((competency) => ({
        name: competency.name,
        score: roundToTenth(competency.score),
        evidence: verifyQuotes(competency.evidence, words),
      })),
      questions,
      strengths: output.strengths,
      // what was not an answer never reached the model; the report still says it happened
      concerns: [...output.concerns, ...nonAnswerConcerns(snapshot.progress, language)],
    };
  }
}
