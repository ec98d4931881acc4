import type { InterviewSettings, Language, SessionSettings } from './interview-types.js';

/** Seniority levels every planner and interviewer works with; free text from clients is mapped onto them. */
export type SeniorityLevel = 'junior' | 'mid' | 'senior' | 'lead';

/** Defaults applied by {@link resolveSettings}. */
export const INTERVIEW_DEFAULTS = Object.freeze({
  role: Object.freeze({ en: 'Software Engineer', zh: '软件工程师' }) as Readonly<Record<Language, string>>,
  level: 'mid' as SeniorityLevel,
  language: 'en' as Language,
  /** @default 6 main questions (follow-ups not counted) */
  question_count: 6,
  /** @default 30 minutes */
  max_minutes: 30,
});

/** Same bounds as the wire schema, repeated here because settings may also come from storage or tests. */
const QUESTION_COUNT_RANGE = { min: 1, max: 30 } as const;
const MAX_MINUTES_RANGE = { min: 1, max: 240 } as const;

// checked in this order, so "Senior Staff Engineer" is lead and "Junior-Mid" is junior
const LEVEL_PATTERNS: ReadonlyArray<readonly [SeniorityLevel, RegExp]> = [
  [
    'lead',
    /\b(lead|leader|staff|principal|architect|head|manager|director|vp|distinguished|fellow)\b|tech\s*lead|负责人|主管|组长|经理|总监|首席|专家|架构师|技术总监|带队/i,
  ],
  ['senior', /\b(senior|sr\.?|snr|experienced|expert|iii)\b|高级|资深|高工/i],
  [
    'junior',
    /\b(junior|jr\.?|entry|entry[\s-]level|intern|internship|graduate|grad|new\s*grad|trainee|apprentice|beginner|associate|i)\b|初级|实习|应届|校招|毕业生|新人|助理/i,
  ],
  ['mid', /\b(mid|middle|intermediate|regular|ii|professional)\b|mid[\s-]?level|中级|中等|普通/i],
];

/**
 * Maps free-text seniority ("Senior", "sr", "高级", "entry level", "Staff", "中级") to
 * `junior | mid | senior | lead`. Unknown or empty text gives `mid`, the most common hiring level.
 */
export function normalizeLevel(text: string | undefined | null): SeniorityLevel {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return INTERVIEW_DEFAULTS.level;
  for (const [level, pattern] of LEVEL_PATTERNS) {
    if (pattern.test(trimmed)) return level;
  }
  return INTERVIEW_DEFAULTS.level;
}

function clampInteger(value: number | undefined, fallback: number, range: { min: number; max: number }): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(range.max, Math.max(range.min, Math.round(value)));
}

function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** A template's focus, trimmed and without repeats; absent when it names nothing. */
function focusOf(focus: readonly string[] | undefined): { focus?: string[] } {
  const names = [...new Set((focus ?? []).map((name) => name.trim()).filter((name) => name !== ''))];
  return names.length === 0 ? {} : { focus: names };
}

/**
 * Applies defaults to client settings: role "Software Engineer" ("软件工程师" for a Chinese interview),
 * level `mid`, language `en`, 6 questions, 30 minutes. The level is normalized with {@link normalizeLevel}.
 */
export function resolveSettings(input: SessionSettings): InterviewSettings {
  const language: Language = input.language ?? INTERVIEW_DEFAULTS.language;
  return {
    role: nonEmpty(input.role) ?? INTERVIEW_DEFAULTS.role[language],
    level: normalizeLevel(input.level),
    language,
    job_description: nonEmpty(input.job_description),
    resume_text: nonEmpty(input.resume_text),
    question_count: clampInteger(input.question_count, INTERVIEW_DEFAULTS.question_count, QUESTION_COUNT_RANGE),
    max_minutes: clampInteger(input.max_minutes, INTERVIEW_DEFAULTS.max_minutes, MAX_MINUTES_RANGE),
    ...focusOf(input.focus),
  };
}
