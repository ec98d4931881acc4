import { normalizeLevel } from '../interview-settings.js';
import { BoundedCache } from '../bounded-cache.js';
import type { InterviewPlan, InterviewSettings } from '../interview-types.js';

/**
 * The job settings that define a structured interview's plan: role, level, language, job description,
 * question count and a template's focus (never the candidate or their résumé). Two sessions with the same key get the same plan,
 * so their reports compare; planners seed and cache by it.
 */
export function jobKey(settings: InterviewSettings): string {
  return JSON.stringify([
    settings.role.trim().toLowerCase(),
    normalizeLevel(settings.level),
    settings.language,
    settings.job_description?.trim() ?? '',
    settings.question_count,
    // only a template's focus adds a field, so keys (and seeds) of jobs without one stay as they were
    ...(settings.focus === undefined ? [] : [settings.focus]),
  ]);
}

/**
 * Plans kept per job (a key from jobKey), for planners that make a job's plan once and hand it to every
 * candidate. Past `limit` jobs the oldest is dropped; asked again, its plan is made again, the same.
 */
export class PlansByJob extends BoundedCache<InterviewPlan> {}
