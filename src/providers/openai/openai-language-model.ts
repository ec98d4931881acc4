import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type {
  FinishReason,
  GenerateResult,
  LanguageModel,
  ModelCallOptions,
  ModelUsage,
  StreamPart,
} from '../language-model.js';
import { ProviderError } from '../provider-error.js';
import { estimateMessageTokens, estimateTokens } from '../token-estimate.js';
import { translateOpenAiError } from './openai-client.js';

export interface OpenAiLanguageModelSettings {
  client: OpenAI;
  model: string;
  /** Sent with every call when set; unset leaves the server's default (reasoning models accept no other). */
  temperature?: number | undefined;
}

/** Optional request fields some compatible servers refuse; each is dropped for good after a 400 naming it. */
type OptionalField = 'stream_options' | 'response_format';

function finishReasonOf(reason: string | null | undefined): FinishReason | undefined {
  switch (reason) {
    case null:
    case undefined:
    case '':
      return undefined;
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

/**
 * The thin adapter from LanguageModel to any OpenAI-compatible `/chat/completions` endpoint (OpenAI,
 * Azure OpenAI v1, DeepSeek, Qwen compatible mode, Groq, Ollama, vLLM, llama.cpp server). One attempt per
 * call: retries, budgets and telemetry are the resilient wrapper's. Capability flags: a server that
 * refuses `stream_options` or `response_format` with a 400 naming it is asked again without it, once and
 * for the rest of the process.
 */
export class OpenAiLanguageModel implements LanguageModel {
  readonly provider = 'openai';
  readonly modelId: string;
  private readonly unsupported = new Set<OptionalField>();

  constructor(private readonly settings: OpenAiLanguageModelSettings) {
    this.modelId = settings.model;
  }

  async generate(options: ModelCallOptions): Promise<GenerateResult> {
    const started = performance.now();
    const signal = options.abortSignal;
    const completion = await this.withCapabilityRetry(() =>
      this.settings.client.chat.completions.create({ ...this.body(options), stream: false }, { signal }),
      signal,
    );
    const choice = completion.choices[0];
    const text = choice?.message.content ?? '';
    const totalMs = performance.now() - started;
    return {
      text,
      finishReason: finishReasonOf(choice?.finish_reason) ?? 'other',
      usage: this.usageOf(completion.usage, options, text),
      timing: { firstTokenMs: totalMs, totalMs, attempts: 1 },
    };
  }

  async *stream(options: ModelCallOptions): AsyncGenerator<StreamPart> {
    const started = performance.now();
    const signal = options.abortSignal;
    const stream = await this.withCapabilityRetry(
      () =>
        this.settings.client.chat.completions.create(
          {
            ...this.body(options),
            stream: true,
            ...(this.unsupported.has('stream_options') ? {} : { stream_options: { include_usage: true } }),
          },
          { signal },
        ),
      signal,
    );
    let finishReason: FinishReason | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    let firstTokenMs: number | undefined;
    let text = '';
    try {
      for await (const chunk of stream) {
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (choice === undefined) continue;
        const delta = choice.delta.content;
        if (typeof delta === 'string' && delta !== '') {
          firstTokenMs ??= performance.now() - started;
          text += delta;
          yield { type: 'text-delta', delta };
        }
        finishReason = finishReasonOf(choice.finish_reason) ?? finishReason;
      }
    } catch (error) {
      throw translateOpenAiError(error, signal, 'stream');
    }
    // the SDK ends the iteration quietly when the request is aborted: the abort is the answer
    if (signal?.aborted === true) throw signal.reason;
    if (finishReason === undefined) {
      throw new ProviderError('stream_cut', 'The stream ended before the model finished its answer.');
    }
    yield {
      type: 'finish',
      finishReason,
      usage: this.usageOf(usage, options, text),
      timing: { firstTokenMs, totalMs: performance.now() - started, attempts: 1 },
    };
  }

  private body(options: ModelCallOptions): ChatCompletionCreateParamsBase {
    return {
      model: this.settings.model,
      messages: options.messages.map((message) => ({ role: message.role, content: message.content })),
      ...(this.settings.temperature === undefined ? {} : { temperature: this.settings.temperature }),
      ...(options.responseFormat === 'json' && !this.unsupported.has('response_format')
        ? { response_format: { type: 'json_object' as const } }
        : {}),
    };
  }

  private usageOf(usage: OpenAI.CompletionUsage | undefined | null, options: ModelCallOptions, text: string): ModelUsage {
    if (usage !== undefined && usage !== null && Number.isFinite(usage.prompt_tokens)) {
      return { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens, estimated: false };
    }
    return { inputTokens: estimateMessageTokens(options.messages), outputTokens: estimateTokens(text), estimated: true };
  }

  /** Runs the request; a 400 that names an optional field we sent marks it unsupported and runs it once more. */
  private async withCapabilityRetry<T>(request: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const translated = translateOpenAiError(error, signal);
      const field = translated instanceof ProviderError ? this.refusedField(translated) : undefined;
      if (field === undefined) throw translated;
      this.unsupported.add(field);
      try {
        return await request();
      } catch (second) {
        throw translateOpenAiError(second, signal);
      }
    }
  }

  private refusedField(error: ProviderError): OptionalField | undefined {
    if (error.kind !== 'bad_request') return undefined;
    for (const field of ['stream_options', 'response_format'] as const) {
      if (!this.unsupported.has(field) && error.message.includes(field)) return field;
    }
    return undefined;
  }
}
