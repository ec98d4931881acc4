import type { CompetencyKey } from './competency-names.js';
import type { BankQuestion, BankSkill, LocalizedPoints, QuestionStage, SeniorityLevel } from './question-bank-types.js';

interface QuestionOptions {
  levels?: readonly SeniorityLevel[];
  keywords?: readonly string[];
  audience?: 'software' | 'any';
  points?: LocalizedPoints;
}

/** Shorthand that keeps the bank files readable: one question per call, English text beside Chinese. */
export function bankQuestion(
  id: string,
  stage: QuestionStage,
  competency: CompetencyKey,
  en: string,
  zh: string,
  options: QuestionOptions = {},
): BankQuestion {
  return { id, stage, competency, text: { en, zh }, ...options };
}

export function bankSkill(name: string, pattern: RegExp): BankSkill {
  return { name, pattern };
}

/** Level sets used across the banks. */
export const JUNIOR_ONLY = ['junior'] as const satisfies readonly SeniorityLevel[];
export const JUNIOR_MID = ['junior', 'mid'] as const satisfies readonly SeniorityLevel[];
export const UP_TO_SENIOR = ['junior', 'mid', 'senior'] as const satisfies readonly SeniorityLevel[];
export const MID_UP = ['mid', 'senior', 'lead'] as const satisfies readonly SeniorityLevel[];
export const SENIOR_UP = ['senior', 'lead'] as const satisfies readonly SeniorityLevel[];
export const LEAD_ONLY = ['lead'] as const satisfies readonly SeniorityLevel[];
