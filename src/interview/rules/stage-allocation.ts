import type { StageName } from '../interview-types.js';

/** Stages that hold questions; `closing` is the interviewer's wrap-up, never a question. */
export type QuestionStage = Exclude<StageName, 'closing'>;

/** Question stages in the order an interview moves through them; `closing` follows as the wrap-up. */
export const QUESTION_STAGE_ORDER: readonly QuestionStage[] = [
  'opening',
  'experience',
  'technical',
  'behavioral',
  'candidate_questions',
];

export type StageAllocation = Record<QuestionStage, number>;

/**
 * How many main questions each stage gets out of `questionCount`.
 *
 * `candidate_questions` ("what would you like to ask me?") counts as one of the main questions, but
 * only from 6 questions up: in a very short interview every question goes to assessing the candidate.
 * `closing` is never a question; the interviewer says it once the plan or the budget is done.
 *
 *   1 → technical
 *   2 → experience, technical
 *   3 → experience, technical, behavioral
 *   4 → opening, experience, technical, behavioral
 *   5 → opening, experience, technical ×2, behavioral
 *   6 → opening, experience, technical ×2, behavioral, candidate_questions   (the default)
 *   n ≥ 6 → one opening and one candidate question; of the rest, technical takes half (rounded up),
 *           behavioral half of what remains (rounded up), experience the remainder. 12 → 1/2/5/3/1.
 */
export function allocateStages(questionCount: number): StageAllocation {
  const count = Math.max(1, Math.floor(questionCount));
  const allocation: StageAllocation = { opening: 0, experience: 0, technical: 0, behavioral: 0, candidate_questions: 0 };
  switch (count) {
    case 1:
      return { ...allocation, technical: 1 };
    case 2:
      return { ...allocation, experience: 1, technical: 1 };
    case 3:
      return { ...allocation, experience: 1, technical: 1, behavioral: 1 };
    case 4:
      return { ...allocation, opening: 1, experience: 1, technical: 1, behavioral: 1 };
    case 5:
      return { ...allocation, opening: 1, experience: 1, technical: 2, behavioral: 1 };
    default: {
      const assessed = count - 2;
      const technical = Math.ceil(assessed / 2);
      const behavioral = Math.ceil((assessed - technical) / 2);
      const experience = assessed - technical - behavioral;
      return { opening: 1, experience, technical, behavioral, candidate_questions: 1 };
    }
  }
}
