import { z } from 'zod';
import type { PlannedQuestion, StageName } from '../../interview/interview-types.js';
import { readModelJson, type ModelJsonResult } from './model-json.js';

/** The planner's answer as the model must write it (the prompt shows the same shape). */
export const planOutputSchema = z.object({
  questions: z
    .array(
      z.object({
        text: z.string().trim().min(8, 'a question needs at least a few words').max(600),
        competency: z.string().trim().max(80).optional().catch(undefined),
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
      return { id: `llm-${index + 1}`, stage, text: question.text, competency };
    }),
  };
}
