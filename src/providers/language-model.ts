/**
 * The language model as the interview roles see it, shaped like vercel/ai's provider interface: one call
 * options object with an `abortSignal`, `generate` for a whole answer and `stream` for typed parts as the
 * model writes. One thin adapter per vendor implements it (src/providers/openai/); a wrapper adds retries,
 * time budgets, the circuit breaker and telemetry (src/providers/resilience/resilient-language-model.ts)
 * and implements it again, so the roles never know which they hold.
 */

export interface ModelMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ModelCallOptions {
  messages: ModelMessage[];
  /** `json`: the answer must be one JSON object (OpenAI `response_format: json_object`). @default 'text' */
  responseFormat?: 'text' | 'json' | undefined;
  abortSignal?: AbortSignal | undefined;
  /**
   * Time this call may take, milliseconds, when it must be shorter than the model's usual budget (the
   * second try of a call that shares one budget with the first). Read by the resilient wrapper.
   */
  budgetMs?: number | undefined;
  /** For logs and metrics only; never sent upstream. */
  telemetry?: { operation: ModelOperation; sessionId?: string | undefined } | undefined;
}

/** What a call is for, as metrics and logs label it. */
export type ModelOperation = 'plan' | 'reply' | 'evaluate';

export interface ModelUsage {
  /** Prompt tokens as the server counted them, or estimated when it did not say. */
  inputTokens: number;
  outputTokens: number;
  /** The server reported no usage; the counts are estimates (characters / 4). */
  estimated: boolean;
}

export type FinishReason = 'stop' | 'length' | 'content-filter' | 'other';

export interface ModelTiming {
  /** Milliseconds from the request to the first piece of text (streams; for generate, the whole answer). */
  firstTokenMs: number | undefined;
  totalMs: number;
  /** Attempts made, the successful one included (the resilient wrapper fills this in). */
  attempts: number;
}

export interface GenerateResult {
  text: string;
  finishReason: FinishReason;
  usage: ModelUsage;
  timing: ModelTiming;
}

/** The parts of a streamed answer, in order: any number of `text-delta`, then one `finish`. */
export type StreamPart =
  | { type: 'text-delta'; delta: string }
  | { type: 'finish'; finishReason: FinishReason; usage: ModelUsage; timing: ModelTiming };

export interface LanguageModel {
  /** The vendor family, such as `openai` (any OpenAI-compatible endpoint). */
  readonly provider: string;
  readonly modelId: string;
  generate(options: ModelCallOptions): Promise<GenerateResult>;
  /**
   * Streams the answer. Errors are thrown from the iterator. An abort through `abortSignal` stops the
   * upstream request at once and throws the signal's reason, whatever it is.
   */
  stream(options: ModelCallOptions): AsyncIterable<StreamPart>;
}
