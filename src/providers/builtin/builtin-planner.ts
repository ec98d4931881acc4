import type { InterviewPlanner, PlanRequest } from '../../interview/interview-ports.js';
import type { InterviewPlan, InterviewSettings } from '../../interview/interview-types.js';
import { PlansByJob, jobKey } from '../../interview/rules/job-key.js';
import { deepFreeze } from '../../interview/deep-freeze.js';
import { buildInterviewPlan } from './plan-builder.js';

/** Jobs whose plans are kept; past it the oldest is dropped (and rebuilt, identically, when asked again). */
const MAX_CACHED_JOBS = 500;

/**
 * Plans interviews from the built-in question banks; offline. A plan depends on the job only, so it is
 * built once per job and the same frozen plan is handed to every candidate: a plan with its scoring
 * guides costs ~100 µs to build and ~4 KB to hold, which a gateway opening hundreds of sessions a second
 * should not pay per session.
 */
export class BuiltinPlanner implements InterviewPlanner {
  readonly provider = 'builtin';
  readonly #plans = new PlansByJob(MAX_CACHED_JOBS);

  plan(request: PlanRequest): Promise<InterviewPlan> {
    request.abortSignal?.throwIfAborted();
    return Promise.resolve(this.#planFor(request.session_id, request.settings));
  }

  #planFor(sessionId: string, settings: InterviewSettings): InterviewPlan {
    // the role text as given too: it is written into the questions, while the job key lowercases it
    const key = JSON.stringify([settings.role, jobKey(settings)]);
    const cached = this.#plans.get(key);
    if (cached !== undefined) return cached;
    // frozen all the way down, so a session that shares the plan cannot change another's
    const plan = deepFreeze(buildInterviewPlan(sessionId, settings));
    this.#plans.remember(key, plan);
    return plan;
  }
}
