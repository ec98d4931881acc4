import type { Logger } from 'pino';
import type {
  EvaluateRequest,
  InterviewEvaluator,
  InterviewPlanner,
  Interviewer,
  PlanRequest,
  RespondRequest,
  RespondResult,
} from '../../interview/interview-ports.js';
import type { InterviewPlan, InterviewReport } from '../../interview/interview-types.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { errorKindOf } from '../provider-error.js';
import type { ProviderMetrics } from '../provider-metrics.js';

/**
 * "Never a dead end": each role backed by a model is wrapped so that when the model fails (down, slow,
 * rate limited past its retries, circuit open, unusable output), the built-in engine answers instead,
 * within the same turn. The reply says nothing of it; `/metrics` (viva_provider_fallbacks_total) and the
 * logs do. Both engines keep the interview's progress the same way, so any turn can switch.
 *
 * Not replaced: a call the caller aborted (a cancel or the turn's deadline: the coordinator decides what
 * that means), and an interviewer reply that already streamed part of its text, since a second voice
 * cannot finish the first one's sentence; that turn fails with the retryable AI_BACKEND_ERROR and
 * nothing is stored, so the client sends the answer again.
 */

type Role = 'planner' | 'interviewer' | 'evaluator';

export interface FallbackReporter {
  metrics: ProviderMetrics;
  logger: Logger;
}

function reportFallback(reporter: FallbackReporter, role: Role, sessionId: string, error: unknown): void {
  const reason = errorKindOf(error);
  reporter.metrics.fallbacks.inc({ role, reason });
  reporter.logger.warn(
    { session_id: sessionId, role, reason, err: error instanceof Error ? error.message : String(error) },
    'the language model failed; the built-in engine answered instead',
  );
}

/**
 * One role's calls with the built-in engine behind them, whatever the role: the primary answers, and
 * when it fails the fallback answers the same request, unless the caller aborted or `committed` says the
 * primary already showed part of its answer (then the turn fails, retryable).
 */
export class Fallback<Request extends { abortSignal?: AbortSignal | undefined }, Result> {
  constructor(
    private readonly role: Role,
    private readonly reporter: FallbackReporter,
  ) {}

  async run(
    request: Request,
    sessionId: string,
    primary: (request: Request) => Promise<Result>,
    fallback: (request: Request) => Promise<Result>,
    committed: () => boolean = () => false,
  ): Promise<Result> {
    try {
      return await primary(request);
    } catch (error) {
      if (request.abortSignal?.aborted === true) throw error;
      if (committed()) {
        this.reporter.metrics.fallbacks.inc({ role: this.role, reason: 'unavailable_mid_reply' });
        this.reporter.logger.warn(
          { session_id: sessionId, role: this.role, reason: errorKindOf(error), err: error instanceof Error ? error.message : String(error) },
          'the language model failed in the middle of a reply; the turn fails and can be sent again',
        );
        throw new VivaError('AI_BACKEND_ERROR', 'The interviewer was interrupted in the middle of its reply. Send your answer again.', {
          retryable: true,
          cause: error,
        });
      }
      reportFallback(this.reporter, this.role, sessionId, error);
      return fallback(request);
    }
  }
}

export function plannerWithFallback(primary: InterviewPlanner, fallback: InterviewPlanner, reporter: FallbackReporter): InterviewPlanner {
  const calls = new Fallback<PlanRequest, InterviewPlan>('planner', reporter);
  return {
    provider: primary.provider,
    plan: (request) => calls.run(request, request.session_id, (r) => primary.plan(r), (r) => fallback.plan(r)),
  };
}

export function interviewerWithFallback(primary: Interviewer, fallback: Interviewer, reporter: FallbackReporter): Interviewer {
  const calls = new Fallback<RespondRequest, RespondResult>('interviewer', reporter);
  return {
    provider: primary.provider,
    respond: (request) => {
      // a second voice cannot finish the first one's sentence: once text has streamed, no fallback
      let streamed = false;
      const onDelta = (delta: string) => {
        streamed = true;
        request.onDelta?.(delta);
      };
      return calls.run(
        request,
        request.snapshot.session_id,
        (r) => primary.respond({ ...r, onDelta }),
        (r) => fallback.respond(r),
        () => streamed,
      );
    },
  };
}

export function evaluatorWithFallback(primary: InterviewEvaluator, fallback: InterviewEvaluator, reporter: FallbackReporter): InterviewEvaluator {
  const calls = new Fallback<EvaluateRequest, InterviewReport>('evaluator', reporter);
  return {
    provider: primary.provider,
    evaluate: (request) => calls.run(request, request.snapshot.session_id, (r) => primary.evaluate(r), (r) => fallback.evaluate(r)),
  };
}
