import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { InterviewEvaluator, InterviewPlanner, Interviewer, SpeechRecognizer } from '../interview/interview-ports.js';
import type { Metrics } from '../observability/metrics.js';
import { createBuiltinEngine } from './builtin/index.js';
import { NoSpeechRecognizer } from './speech/no-speech-recognizer.js';

export interface Providers {
  planner: InterviewPlanner;
  interviewer: Interviewer;
  evaluator: InterviewEvaluator;
  speech: SpeechRecognizer;
}

/** Picks the language model and speech providers from LLM_PROVIDER and STT_PROVIDER. */
export function createProviders(config: Config, _context: { logger: Logger; metrics: Metrics }): Providers {
  const builtin = createBuiltinEngine();
  return {
    planner: builtin.planner,
    interviewer: builtin.interviewer,
    evaluator: builtin.evaluator,
    speech: new NoSpeechRecognizer(),
  };
}
