import type { GenerateResult, LanguageModel, ModelCallOptions, ModelUsage, StreamPart } from '../language-model.js';
import { ResilientCall, type CallDescription, type ResilienceOptions } from './resilient-call.js';

export type { ResilienceOptions } from './resilient-call.js';

/**
 * A LanguageModel around another that adds what every call needs (the shared runner, resilient-call.ts):
 * retries with backoff (before any text has been produced; never after, since that text may already be on
 * a candidate's screen), a time budget, the provider's circuit breaker, metrics and a debug log line per
 * call. Errors come out as ProviderError, or as the caller's own abort reason when the caller aborted.
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
    const resilient = new ResilientCall(this.options, this.describe(call));
    try {
      let result: GenerateResult;
      try {
        result = await resilient.attempt((signal) => this.inner.generate({ ...call, abortSignal: signal }));
      } catch (error) {
        throw resilient.failed(error);
      }
      const timing = { ...result.timing, totalMs: resilient.elapsedMs(), attempts: resilient.attempts };
      resilient.succeeded(usageFields(timing.firstTokenMs, result.usage));
      this.observeUsage(resilient, timing.firstTokenMs, result.usage);
      return { ...result, timing };
    } finally {
      resilient.close();
    }
  }

  async *stream(call: ModelCallOptions): AsyncGenerator<StreamPart> {
    const resilient = new ResilientCall(this.options, this.describe(call));
    let iterator: AsyncIterator<StreamPart> | undefined;
    let finished = false;
    try {
      // an attempt counts as opened once its first part arrives; only then is the stream handed on
      const opened = await resilient.attempt(async (signal) => {
        const attemptIterator = this.inner.stream({ ...call, abortSignal: signal })[Symbol.asyncIterator]();
        return { iterator: attemptIterator, first: await attemptIterator.next() };
      });
      resilient.stopBudget();
      const firstTokenMs = resilient.elapsedMs();
      iterator = opened.iterator;
      for (let result = opened.first; result.done !== true; result = await iterator.next()) {
        const part = result.value;
        if (part.type === 'finish') {
          const timing = { firstTokenMs, totalMs: resilient.elapsedMs(), attempts: resilient.attempts };
          resilient.succeeded(usageFields(firstTokenMs, part.usage));
          this.observeUsage(resilient, firstTokenMs, part.usage);
          finished = true;
          yield { ...part, timing };
        } else {
          yield part;
        }
      }
    } catch (error) {
      finished = true;
      throw resilient.failed(error);
    } finally {
      // the consumer stopped early: stop the upstream request now, not when it ends, and let the breaker
      // forget this call (it says nothing about the provider's health)
      resilient.close();
      if (!finished) {
        resilient.abandoned();
        await iterator?.return?.().catch(() => undefined);
      }
    }
  }

  private describe(call: ModelCallOptions): CallDescription {
    return {
      provider: this.provider,
      model: this.modelId,
      operation: call.telemetry?.operation ?? 'other',
      subject: 'The model',
      circuitSubject: `The ${this.provider} model`,
      logMessage: 'model call',
      retryLogMessage: 'model call failed; retrying',
      logFields: { session_id: call.telemetry?.sessionId },
      abortSignal: call.abortSignal,
      budgetMs: call.budgetMs,
    };
  }

  /** What only a language model reports: first-token latency and tokens. */
  private observeUsage(call: ResilientCall, firstTokenMs: number | undefined, usage: ModelUsage): void {
    const { provider, model } = call.labels;
    const metrics = this.options.metrics;
    if (firstTokenMs !== undefined) metrics.firstTokenLatency.observe(call.labels, firstTokenMs / 1000);
    metrics.tokens.inc({ provider, model, direction: 'in' }, usage.inputTokens);
    metrics.tokens.inc({ provider, model, direction: 'out' }, usage.outputTokens);
  }
}

function usageFields(firstTokenMs: number | undefined, usage: ModelUsage): Record<string, unknown> {
  return {
    first_token_ms: firstTokenMs === undefined ? undefined : Math.round(firstTokenMs),
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    usage_estimated: usage.estimated || undefined,
  };
}
