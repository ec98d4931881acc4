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
import { VivaError } from '../../protocol/viva-error.js';
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

export class FallbackPlanner implements InterviewPlanner {
  readonly provider: string;

  constructor(
    private readonly primary: InterviewPlanner,
    private readonly fallback: InterviewPlanner,
    private readonly reporter: FallbackReporter,
  ) {
    this.provider = primary.provider;
  }

  async plan(request: PlanRequest): Promise<InterviewPlan> {
    try {
      return await this.primary.plan(request);
    } catch (error) {
      if (request.abortSignal?.aborted === true) throw error;
      reportFallback(this.reporter, 'planner', request.session_id, error);
      return this.fallback.plan(request);
    }
  }
}

export class FallbackInterviewer implements Interviewer {
  readonly provider: string;

  constructor(
    private readonly primary: Interviewer,
    private readonly fallback: Interviewer,
    private readonly reporter: FallbackReporter,
  ) {
    this.provider = primary.provider;
  }

  async respond(request: RespondRequest): Promise<RespondResult> {
    let streamed = false;
    const onDelta = (delta: string) => {
      streamed = true;
      request.onDelta?.(delta);
    };
    try {
      return await this.primary.respond({ ...request, onDelta });
    } catch (error) {
      if (request.abortSignal?.aborted === true) throw error;
      const sessionId = request.snapshot.session_id;
      if (streamed) {
        this.reporter.metrics.fallbacks.inc({ role: 'interviewer', reason: 'unavailable_mid_reply' });
        this.reporter.logger.warn(
          { session_id: sessionId, role: 'interviewer', reason: errorKindOf(error), err: error instanceof Error ? error.message : String(error) },
          'the language model failed in the middle of a reply; the turn fails and can be sent again',
        );
        throw new VivaError('AI_BACKEND_ERROR', 'The interviewer was interrupted in the middle of its reply. Send your answer again.', {
          retryable: true,
          cause: error,
        });
      }
      reportFallback(this.reporter, 'interviewer', sessionId, error);
      return this.fallback.respond(request);
    }
  }
}

export class FallbackEvaluator implements InterviewEvaluator {
  readonly provider: string;

  constructor(
    private readonly primary: InterviewEvaluator,
    private readonly fallback: InterviewEvaluator,
    private readonly reporter: FallbackReporter,
  ) {
    this.provider = primary.provider;
  }

  async evaluate(request: EvaluateRequest): Promise<InterviewReport> {
    try {
      return await this.primary.evaluate(request);
    } catch (error) {
      if (request.abortSignal?.aborted === true) throw error;
      reportFallback(this.reporter, 'evaluator', request.snapshot.session_id, error);
      return this.fallback.evaluate(request);
    }
  }
}
