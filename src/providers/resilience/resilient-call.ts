import type { Logger } from 'pino';
import { ProviderError, errorKindOf } from '../provider-error.js';
import type { ProviderMetrics } from '../provider-metrics.js';
import { CallScope } from './call-scope.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { RETRY_DEFAULTS, withRetries, type RetryPolicy } from './retry-policy.js';

/**
 * What every remote provider call gets, whatever the vendor and whatever the port (a language model, a
 * speech recognizer, a speech synthesizer): the provider's circuit breaker, retries with backoff, a time
 * budget, metrics (viva_provider_*) and one debug log line per call. Vendor adapters stay thin (one
 * request, vendor errors mapped to ProviderError); the port's wrapper opens a `ResilientCall` per call
 * and hands it its attempts. See docs/providers.md, "Adding a provider".
 */
export interface ResilienceOptions {
  breaker: CircuitBreaker;
  metrics: ProviderMetrics;
  logger: Logger;
  retry?: RetryPolicy | undefined;
  /**
   * Time per call over all attempts, milliseconds; for a streamed call, until it starts producing (once
   * output is flowing, only the caller's own signal can stop it).
   */
  budgetMs: number;
}

/** How a port names its calls in metrics and logs. */
export interface CallDescription {
  provider: string;
  model: string;
  /** The `operation` label: `plan`, `respond`, `evaluate`, `transcribe`, `synthesize`… */
  operation: string;
  /** Who is called, for people reading errors: "The model", "The speech service". */
  subject: string;
  /** The same in the error of an open circuit, when it should say more (e.g. "The openai model"). @default subject */
  circuitSubject?: string | undefined;
  /** The log line of a finished call ('model call'), and of a retry ('model call failed; retrying'). */
  logMessage: string;
  retryLogMessage: string;
  /** Fields on every log line of the call (the session id, the audio format…). */
  logFields?: Record<string, unknown> | undefined;
  /** The caller's signal: a cancel or a turn deadline. Its reason is passed on untouched. */
  abortSignal?: AbortSignal | undefined;
  /** A tighter budget for this call than the wrapper's, milliseconds. */
  budgetMs?: number | undefined;
}

/**
 * One call, from opening (the breaker's permission) to one of its ends: `succeeded`, `failed` (returns
 * the error to throw) or `abandoned` (the consumer stopped a stream early: the breaker forgets it). Always
 * `close` it in a `finally`.
 */
export class ResilientCall {
  readonly started = performance.now();
  private readonly scope: CallScope;
  private attemptsMade = 0;

  /** Throws ProviderError('circuit_open') when the breaker refuses the call. */
  constructor(
    private readonly options: ResilienceOptions,
    private readonly description: CallDescription,
  ) {
    if (!options.breaker.tryAcquire()) {
      options.metrics.errors.inc({ ...this.labels, kind: 'circuit_open' });
      throw new ProviderError('circuit_open', `${description.circuitSubject ?? description.subject} failed repeatedly; calls are paused for a while.`);
    }
    this.scope = new CallScope(description.abortSignal, Math.min(options.budgetMs, description.budgetMs ?? Number.POSITIVE_INFINITY));
  }

  get labels(): { provider: string; model: string; operation: string } {
    return { provider: this.description.provider, model: this.description.model, operation: this.description.operation };
  }

  get attempts(): number {
    return this.attemptsMade;
  }

  /** Milliseconds since the call was opened. */
  elapsedMs(): number {
    return performance.now() - this.started;
  }

  /**
   * Runs `attempt` (given the call's signal) until it succeeds or the retry policy says stop, counting
   * each failed attempt's kind; throws the last error, raw (pass it to `failed`).
   */
  async attempt<T>(attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { metrics, logger } = this.options;
    const signal = this.scope.signal;
    return withRetries(
      async (number) => {
        this.attemptsMade = number;
        try {
          return await attempt(signal);
        } catch (error) {
          if (!signal.aborted) metrics.errors.inc({ ...this.labels, kind: errorKindOf(error) });
          throw error;
        }
      },
      {
        policy: this.options.retry ?? RETRY_DEFAULTS,
        signal,
        onRetry: ({ attempt: number, delayMs, error }) => {
          metrics.retries.inc(this.labels);
          logger.debug({ ...this.description.logFields, ...this.labels, attempt: number, delay_ms: delayMs, kind: errorKindOf(error) }, this.description.retryLogMessage);
        },
      },
    );
  }

  /** From now on only the caller's signal can stop the call (a stream that has started producing). */
  stopBudget(): void {
    this.scope.stopBudget();
  }

  /**
   * The provider answered: the breaker closes, the duration is observed and logged with `fields`, under
   * `outcome` (`ok`, or what the port made of a valid answer, e.g. `no_speech`).
   */
  succeeded(fields: Record<string, unknown> = {}, outcome = 'ok'): void {
    const totalMs = this.elapsedMs();
    this.options.breaker.recordSuccess();
    this.options.metrics.requestDuration.observe({ ...this.labels, outcome: 'ok' }, totalMs / 1000);
    this.log(outcome, totalMs, fields);
  }

  /**
   * Settles a failed call and returns the error to throw: the caller's own abort reason when the caller
   * aborted; ProviderError('timeout') when the budget ran out; otherwise the error itself. Availability
   * failures count against the breaker; a bad request or a cancel says nothing about the provider's health.
   */
  failed(error: unknown): unknown {
    const totalMs = this.elapsedMs();
    const { breaker, metrics } = this.options;
    if (this.scope.abortedByCaller) {
      breaker.release();
      metrics.requestDuration.observe({ ...this.labels, outcome: 'cancelled' }, totalMs / 1000);
      this.log('cancelled', totalMs, {});
      return this.description.abortSignal?.reason ?? error;
    }
    const budgetExpired = this.scope.budgetExpired;
    const final = budgetExpired
      ? new ProviderError('timeout', `${this.description.subject} gave no answer within ${this.scope.budgetMs} ms.`, { cause: error })
      : error;
    if (budgetExpired) metrics.errors.inc({ ...this.labels, kind: 'timeout' });
    if (!(final instanceof ProviderError) || final.countsAsOutage) breaker.recordFailure();
    else breaker.release();
    metrics.requestDuration.observe({ ...this.labels, outcome: 'error' }, totalMs / 1000);
    this.log('error', totalMs, {
      kind: errorKindOf(final),
      status: final instanceof ProviderError ? final.status : undefined,
      err: final instanceof Error ? final.message : String(final),
    });
    return final;
  }

  /** The consumer stopped before the end: not a verdict on the provider, so the breaker lets the next call probe. */
  abandoned(): void {
    this.options.breaker.release();
  }

  /** Stops the call's request if it is still running, and lets go of the caller's signal. */
  close(): void {
    this.scope.close();
  }

  private log(outcome: string, totalMs: number, fields: Record<string, unknown>): void {
    this.options.logger.debug(
      { ...this.description.logFields, ...this.labels, outcome, attempts: this.attemptsMade, duration_ms: Math.round(totalMs), ...fields },
      this.description.logMessage,
    );
  }
}

/** A one-shot call: opens it, runs the attempts, settles it. For streams, open a `ResilientCall` yourself. */
export async function runResilient<T>(
  options: ResilienceOptions,
  description: CallDescription,
  attempt: (signal: AbortSignal) => Promise<T>,
  onSuccess: (value: T, call: ResilientCall) => Record<string, unknown> = () => ({}),
): Promise<T> {
  const call = new ResilientCall(options, description);
  try {
    let value: T;
    try {
      value = await call.attempt(attempt);
    } catch (error) {
      throw call.failed(error);
    }
    call.succeeded(onSuccess(value, call));
    return value;
  } finally {
    call.close();
  }
}
