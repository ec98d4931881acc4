import { BuiltinEvaluator } from './builtin-evaluator.js';
import { BuiltinInterviewer } from './builtin-interviewer.js';
import { BuiltinPlanner } from './builtin-planner.js';

export { BuiltinEvaluator, evaluateInterview, RECOMMENDATION_THRESHOLDS } from './builtin-evaluator.js';
export { BuiltinInterviewer } from './builtin-interviewer.js';
export { BuiltinPlanner } from './builtin-planner.js';
export { buildInterviewPlan } from './plan-builder.js';
export { analyzeAnswer, isThinAnswer } from './answer-analysis.js';

export interface BuiltinEngine {
  planner: BuiltinPlanner;
  interviewer: BuiltinInterviewer;
  evaluator: BuiltinEvaluator;
}

/** The offline interview engine: the default "AI", and the fallback when a remote model fails. */
export function createBuiltinEngine(): BuiltinEngine {
  return { planner: new BuiltinPlanner(), interviewer: new BuiltinInterviewer(), evaluator: new BuiltinEvaluator() };
}
