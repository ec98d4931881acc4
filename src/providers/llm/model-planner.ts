import type { InterviewPlanner, PlanRequest } from '../../interview/interview-ports.js';
import { normalizeLevel } from '../../interview/interview-settings.js';
import type { InterviewPlan, StageName } from '../../interview/interview-types.js';
import { PlansByJob, jobKey } from '../../interview/rules/job-key.js';
import { matchRoleTrack } from '../../interview/rules/role-track.js';
import { QUESTION_STAGE_ORDER, allocateStages } from '../../interview/rules/stage-allocation.js';
import type { LanguageModel, ModelMessage } from '../language-model.js';
import { ProviderError } from '../provider-error.js';
import { truncateToTokens } from '../token-estimate.js';
import { readPlanOutput } from './plan-output.js';
import { quoteSafe, type PromptLibrary } from './prompt-library.js';

export const LANGUAGE_NAMES = { en: 'English', zh: '中文 (Chinese)' } as const;

/** What the model-backed roles are configured with. */
export interface ModelRoleOptions {
  /** LLM_CONTEXT_TOKENS. */
  contextTokens: number;
  /** The model's time for one role's work, all its calls together (LLM_FALLBACK_AFTER_MS), milliseconds. */
  budgetMs: number;
}

/** A repair request with less time left than this is not worth making. */
export const MIN_REPAIR_BUDGET_MS = 500;

/** Share of the context budget the job description may take in the planner's prompt. */
const DOCUMENT_SHARE = 0.3;

/** Jobs whose plans are kept; past this the oldest is forgotten (and planned again if it comes back). */
const MAX_CACHED_PLANS = 500;

/** What the planner prompt says when the job has no template focus. */
const NO_FOCUS = { en: 'none given; choose what the role needs most', zh: '未指定；按岗位最需要的能力选择' } as const;

/** The stage of each main question, in order, as the built-in engine allocates them. */
export function stageSlots(questionCount: number): StageName[] {
  const allocation = allocateStages(questionCount);
  return QUESTION_STAGE_ORDER.flatMap((stage) => Array.from({ length: allocation[stage] }, () => stage));
}

/**
 * Plans the interview with the language model: questions written for the role, level, language and job
 * description, one per stage slot of the domain's allocation. The answer is JSON checked against a
 * schema; an unusable answer is sent back once with what is wrong, then this throws (`bad_output`) and
 * the fallback wrapper uses the built-in plan. A structured interview: the plan is made once per job
 * (rules/job-key.ts) and reused for every candidate, so the résumé is not sent and reports compare.
 */
export class ModelPlanner implements InterviewPlanner {
  readonly provider: string;

  constructor(
    private readonly model: LanguageModel,
    private readonly prompts: PromptLibrary,
    private readonly options: ModelRoleOptions,
  ) {
    this.provider = model.provider;
  }

  private readonly plans = new PlansByJob(MAX_CACHED_PLANS);

  async plan(request: PlanRequest): Promise<InterviewPlan> {
    const key = jobKey(request.settings);
    const cached = this.plans.get(key);
    if (cached !== undefined) return structuredClone(cached);
    const plan = await this.writePlan(request);
    this.plans.remember(key, plan);
    return structuredClone(plan);
  }

  private async writePlan(request: PlanRequest): Promise<InterviewPlan> {
    const { settings } = request;
    const language = settings.language;
    const slots = stageSlots(settings.question_count);
    const documentTokens = Math.floor(this.options.contextTokens * DOCUMENT_SHARE);
    const values = {
      role: settings.role,
      level: settings.level,
      language_name: LANGUAGE_NAMES[language],
      question_count: slots.length,
      slots: slots.map((stage, index) => `${index + 1}. ${stage}`).join('\n'),
      job_description: quoteSafe(truncateToTokens(settings.job_description ?? '', documentTokens)),
      // a template's focus, as the team wrote it (a model needs no bank names)
      focus: settings.focus === undefined ? NO_FOCUS[language] : quoteSafe(settings.focus.join(', ')),
    };
    const messages: ModelMessage[] = [
      { role: 'system', content: this.prompts.render('planner', language, 'system') },
      { role: 'user', content: this.prompts.render('planner', language, 'user', values) },
    ];
    let problems = '';
    const deadline = performance.now() + this.options.budgetMs;
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      // both tries share one budget, so the built-in plan still comes before the turn's deadline
      const budgetMs = deadline - performance.now();
      if (attempt > 1 && budgetMs < MIN_REPAIR_BUDGET_MS) break;
      const result = await this.model.generate({
        messages,
        responseFormat: 'json',
        abortSignal: request.abortSignal,
        budgetMs,
        telemetry: { operation: 'plan', sessionId: request.session_id },
      });
      const read = readPlanOutput(result.text, slots, language);
      if (read.ok) {
        return {
          track: matchRoleTrack(settings.role),
          role: settings.role,
          level: normalizeLevel(settings.level),
          language,
          questions: read.value,
          created_by: 'llm',
        };
      }
      problems = read.problems;
      messages.push(
        { role: 'assistant', content: result.text },
        { role: 'user', content: this.prompts.render('planner', language, 'repair', { problems, question_count: slots.length }) },
      );
    }
    throw new ProviderError('bad_output', `The model's plan was unusable: ${problems}`);
  }
}
