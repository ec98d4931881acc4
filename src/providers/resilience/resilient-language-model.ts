import type { Logger } from 'pino';
import type { GenerateResult, LanguageModel, ModelCallOptions, ModelUsage, StreamPart } from '../language-model.js';
import { ProviderError, errorKindOf } from '../provider-error.js';
import type { ProviderMetrics } from '../provider-metrics.js';
import { CallScope } from './call-scope.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { RETRY_DEFAULTS, withRetries, type RetryPolicy } from './retry-policy.js';

export interface ResilienceOptions {
  breaker: CircuitBreaker;
  metrics: ProviderMetrics;
  logger: Logger;
  retry?: RetryPolicy | undefined;
  /**
   * The model's time per call, milliseconds: over all attempts for `generate`, until the first text for
   * `stream` (once a reply is being written, only the caller's own deadline can stop it).
   */
  budgetMs: number;
}

type Outcome = 'ok' | 'error' | 'cancelled';

/**
 * A LanguageModel around another that adds what every call needs: retries with backoff (before any text
 * has been produced; never after, since that text may already be on a candidate's screen), a time budget,
 * the provider's circuit breaker, metrics and a debug log line per call. Errors come out as ProviderError,
 * or as the caller's own abort reason when the caller aborted.
 */
export class ResilientLanguageModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;

  constructor(
    private readonly inner: LanguageModel,
    private readonly options: ResilienceOptions,
  ) {
    this.provider = inner.provider;
    this.modelId = inner.modelId;
  }

  async generate(call: ModelCallOptions): Promise<GenerateResult> {
    const started = performance.now();
    this.acquire(call);
    const scope = new CallScope(call.abortSignal, Math.min(this.options.budgetMs, call.budgetMs ?? Number.POSITIVE_INFINITY));
    let attempts = 0;
    try {
      const result = await withRetries(
        async (attempt) => {
          attempts = attempt;
          return this.counted(call, scope, () => this.inner.generate({ ...call, abortSignal: scope.signal }));
        },
        this.retryOptions(call, scope),
      );
      const timing = { ...result.timing, totalMs: performance.now() - started, attempts };
      this.succeeded(call, timing.totalMs, timing.firstTokenMs, result.usage, attempts);
      return { ...result, timing };
    } catch (error) {
      throw this.failed(call, scope, error, started, attempts);
    } finally {
      scope.close();
    }
  }

  async *stream(call: ModelCallOptions): AsyncGenerator<StreamPart> {
    const started = performance.now();
    this.acquire(call);
    const scope = new CallScope(call.abortSignal, Math.min(this.options.budgetMs, call.budgetMs ?? Number.POSITIVE_INFINITY));
    let attempts = 0;
    let iterator: AsyncIterator<StreamPart> | undefined;
    let finished = false;
    try {
      // an attempt counts as opened once its first part arrives; only then is the stream handed on
      const opened = await withRetries(
        async (attempt) => {
          attempts = attempt;
          return this.counted(call, scope, async () => {
            const attemptIterator = this.inner.stream({ ...call, abortSignal: scope.signal })[Symbol.asyncIterator]();
            return { iterator: attemptIterator, first: await attemptIterator.next() };
          });
        },
        this.retryOptions(call, scope),
      );
      scope.stopBudget();
      const firstTokenMs = performance.now() - started;
      iterator = opened.iterator;
      for (let result = opened.first; result.done !== true; result = await iterator.next()) {
        const part = result.value;
        if (part.type === 'finish') {
          const timing = { firstTokenMs, totalMs: performance.now() - started, attempts };
          this.succeeded(call, timing.totalMs, firstTokenMs, part.usage, attempts);
          finished = true;
          yield { ...part, timing };
        } else {
          yield part;
        }
      }
    } catch (error) {
      finished = true;
      throw this.failed(call, scope, error, started, attempts);
    } finally {
      // the consumer stopped early: stop the upstream request now, not when it ends, and let the breaker
      // forget this call (it says nothing about the provider's health)
      scope.close();
      if (!finished) {
        this.options.breaker.release();
        await iterator?.return?.().catch(() => undefined);
      }
    }
  }

  private labels(call: ModelCallOptions) {
    return { provider: this.provider, model: this.modelId, operation: call.telemetry?.operation ?? 'other' };
  }

  private acquire(call: ModelCallOptions): void {
    if (this.options.breaker.tryAcquire()) return;
    this.options.metrics.errors.inc({ ...this.labels(call), kind: 'circuit_open' });
    throw new ProviderError('circuit_open', `The ${this.provider} model failed repeatedly; calls are paused for a while.`);
  }

  /** Runs one attempt and counts its failure, unless the call as a whole was stopped. */
  private async counted<T>(call: ModelCallOptions, scope: CallScope, attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      if (!scope.signal.aborted) this.options.metrics.errors.inc({ ...this.labels(call), kind: errorKindOf(error) });
      throw error;
    }
  }

  private retryOptions(call: ModelCallOptions, scope: CallScope) {
    return {
      policy: this.options.retry ?? RETRY_DEFAULTS,
      signal: scope.signal,
      onRetry: ({ attempt, delayMs, error }: { attempt: number; delayMs: number; error: unknown }) => {
        this.options.metrics.retries.inc(this.labels(call));
        this.options.logger.debug(
          { session_id: call.telemetry?.sessionId, ...this.labels(call), attempt, delay_ms: delayMs, kind: errorKindOf(error) },
          'model call failed; retrying',
        );
      },
    };
  }

  private succeeded(call: ModelCallOptions, totalMs: number, firstTokenMs: number | undefined, usage: ModelUsage, attempts: number): void {
    const labels = this.labels(call);
    const metrics = this.options.metrics;
    this.options.breaker.recordSuccess();
    metrics.requestDuration.observe({ ...labels, outcome: 'ok' }, totalMs / 1000);
    if (firstTokenMs !== undefined) metrics.firstTokenLatency.observe(labels, firstTokenMs / 1000);
    metrics.tokens.inc({ provider: labels.provider, model: labels.model, direction: 'in' }, usage.inputTokens);
    metrics.tokens.inc({ provider: labels.provider, model: labels.model, direction: 'out' }, usage.outputTokens);
    this.log(call, 'ok', totalMs, attempts, {
      first_token_ms: firstTokenMs === undefined ? undefined : Math.round(firstTokenMs),
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      usage_estimated: usage.estimated || undefined,
    });
  }

  /** Settles a failed call: the breaker's verdict, metrics, the log line, and the error to throw. */
  private failed(call: ModelCallOptions, scope: CallScope, error: unknown, started: number, attempts: number): unknown {
    const totalMs = performance.now() - started;
    const labels = this.labels(call);
    const breaker = this.options.breaker;
    if (scope.abortedByCaller) {
      breaker.release();
      this.options.metrics.requestDuration.observe({ ...labels, outcome: 'cancelled' }, totalMs / 1000);
      this.log(call, 'cancelled', totalMs, attempts, {});
      return call.abortSignal?.reason ?? error;
    }
    const final = scope.budgetExpired
      ? new ProviderError('timeout', `The model gave no answer within ${scope.budgetMs} ms.`, { cause: error })
      : error;
    if (scope.budgetExpired) this.options.metrics.errors.inc({ ...labels, kind: 'timeout' });
    if (!(final instanceof ProviderError) || final.countsAsOutage) breaker.recordFailure();
    else breaker.release();
    this.options.metrics.requestDuration.observe({ ...labels, outcome: 'error' }, totalMs / 1000);
    this.log(call, 'error', totalMs, attempts, {
      kind: errorKindOf(final),
      status: final instanceof ProviderError ? final.status : undefined,
      err: final instanceof Error ? final.message : String(final),
    });
    return final;
  }

  private log(call: ModelCallOptions, outcome: Outcome, totalMs: number, attempts: number, extra: Record<string, unknown>): void {
    this.options.logger.debug(
      { session_id: call.telemetry?.sessionId, ...this.labels(call), outcome, attempts, duration_ms: Math.round(totalMs), ...extra },
      'model call',
    );
  }
}
