import { z } from 'zod';
import type { PlannedQuestion, ScoringGuide, StageName } from '../../interview/interview-types.js';
import { stageScoringGuide } from '../../interview/rules/scoring-guide.js';
import { readModelJson, type ModelJsonResult } from './model-json.js';

const guideLine = z.string().trim().min(8).max(600);

/**
 * A question's guide as the model writes it: {"1": …, "3": …, "5": …}. Anything else (a line missing,
 * too short, another shape) is dropped rather than failing the plan: the question then gets the
 * domain's guide for its stage, so a botched guide never costs the model's questions.
 */
const modelGuideSchema = z
  .object({ 1: guideLine, 3: guideLine, 5: guideLine })
  .transform((lines): ScoringGuide => [
    { score: 1, description: lines[1] },
    { score: 3, description: lines[3] },
    { score: 5, description: lines[5] },
  ])
  .optional()
  .catch(undefined);

/** The planner's answer as the model must write it (the prompt shows the same shape). */
export const planOutputSchema = z.object({
  questions: z
    .array(
      z.object({
        text: z.string().trim().min(8, 'a question needs at least a few words').max(600),
        competency: z.string().trim().max(80).optional().catch(undefined),
        guide: modelGuideSchema,
        probe: z.string().trim().min(8).max(600).optional().catch(undefined),
      }),
    )
    .min(1)
    .max(40),
});

/** Used when the model names no competency: what each stage assesses. */
const DEFAULT_COMPETENCY: Readonly<Record<'en' | 'zh', Readonly<Record<StageName, string>>>> = {
  en: {
    opening: 'motivation',
    experience: 'relevant experience',
    technical: 'technical depth',
    behavioral: 'collaboration',
    candidate_questions: 'curiosity',
    closing: 'communication',
  },
  zh: {
    opening: '求职动机',
    experience: '相关经验',
    technical: '专业深度',
    behavioral: '协作能力',
    candidate_questions: '好奇心',
    closing: '沟通能力',
  },
};

/**
 * The plan's questions from the model's answer, one per slot: stages come from the slots (so the
 * order of stages and the budget are ours, never the model's), extra questions are dropped, missing or
 * repeated ones make the answer unusable.
 */
export function readPlanOutput(text: string, slots: readonly StageName[], language: 'en' | 'zh'): ModelJsonResult<PlannedQuestion[]> {
  const parsed = readModelJson(text, planOutputSchema);
  if (!parsed.ok) return parsed;
  const questions = parsed.value.questions.slice(0, slots.length);
  if (questions.length < slots.length) {
    return { ok: false, problems: `there are ${questions.length} questions; exactly ${slots.length} are needed.` };
  }
  const seen = new Set<string>();
  for (const question of questions) {
    const key = question.text.toLowerCase().replace(/\s+/g, ' ');
    if (seen.has(key)) return { ok: false, problems: `the question "${question.text.slice(0, 80)}" appears twice.` };
    seen.add(key);
  }
  return {
    ok: true,
    value: questions.map((question, index) => {
      const stage = slots[index] ?? 'technical';
      const competency = question.competency === undefined || question.competency === '' ? DEFAULT_COMPETENCY[language][stage] : question.competency;
      // the candidate's own questions are not scored: no guide and no probe, whatever the model wrote
      const scored = stage !== 'candidate_questions' && stage !== 'closing';
      const guide = scored ? (question.guide ?? stageScoringGuide({ stage, points: [], capped: false }, language)) : undefined;
      return {
        id: `llm-${index + 1}`,
        stage,
        text: question.text,
        competency,
        ...(guide === undefined ? {} : { scoring_guide: guide }),
        ...(scored && question.probe !== undefined ? { probe: question.probe } : {}),
      };
    }),
  };
}
