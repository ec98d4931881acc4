import type { InterviewPlanner, PlanRequest } from '../../interview/interview-ports.js';
import type { InterviewPlan } from '../../interview/interview-types.js';
import { buildInterviewPlan } from './plan-builder.js';

/** Plans interviews from the built-in question banks; offline, deterministic per session id. */
export class BuiltinPlanner implements InterviewPlanner {
  readonly provider = 'builtin';

  plan(request: PlanRequest): Promise<InterviewPlan> {
    request.abortSignal?.throwIfAborted();
    return Promise.resolve(buildInterviewPlan(request.session_id, request.settings));
  }
}
