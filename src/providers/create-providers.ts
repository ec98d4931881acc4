import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { InterviewEvaluator, InterviewPlanner, Interviewer, SpeechRecognizer, SpeechSynthesizer } from '../interview/interview-ports.js';
import type { Metrics } from '../observability/metrics.js';
import { createBuiltinEngine } from './builtin/index.js';
import { evaluatorWithFallback, interviewerWithFallback, plannerWithFallback } from './fallback/fallback-engine.js';
import type { LanguageModel } from './language-model.js';
import { ModelEvaluator } from './llm/model-evaluator.js';
import { ModelInterviewer } from './llm/model-interviewer.js';
import { ModelPlanner } from './llm/model-planner.js';
import { PromptLibrary } from './llm/prompt-library.js';
import { createOpenAiClient, describeEndpoint } from './openai/openai-client.js';
import { OpenAiLanguageModel } from './openai/openai-language-model.js';
import { OpenAiTranscriptionAdapter } from './openai/openai-transcription-adapter.js';
import { OpenAiSpeechSynthesizer } from './openai/openai-speech-synthesizer.js';
import { EspeakSpeechSynthesizer, builtinVoiceModuleUrl } from './speech/espeak-speech-synthesizer.js';
import { ProviderMetrics } from './provider-metrics.js';
import { CIRCUIT_DEFAULTS, CircuitBreaker, type CircuitBreakerOptions } from './resilience/circuit-breaker.js';
import { ResilientLanguageModel } from './resilience/resilient-language-model.js';
import { ResilientSpeechRecognizer } from './speech/resilient-speech-recognizer.js';
import type { RetryPolicy } from './resilience/retry-policy.js';
import { NoSpeechRecognizer } from './speech/no-speech-recognizer.js';

export interface Providers {
  planner: InterviewPlanner;
  interviewer: Interviewer;
  evaluator: InterviewEvaluator;
  speech: SpeechRecognizer;
  /** The interviewer's voice; null when TTS_PROVIDER=none or the built-in voice is not installed. */
  voice: SpeechSynthesizer | null;
}

export interface ProviderContext {
  logger: Logger;
  metrics: Metrics;
  /** Replaces the global fetch for every remote call (tests, proxies). */
  fetch?: typeof fetch | undefined;
  /** Overrides of the retry and circuit breaker defaults (tests). */
  retry?: RetryPolicy | undefined;
  circuit?: CircuitBreakerOptions | undefined;
}

/** Used when LLM_MODEL / STT_MODEL are not set. */
export const DEFAULT_LLM_MODEL = 'gpt-4o-mini';
export const DEFAULT_STT_MODEL = 'whisper-1';
export const DEFAULT_TTS_MODEL = 'tts-1';
export const DEFAULT_TTS_VOICE = 'alloy';

/** The model's share of AI_TIMEOUT_MS when LLM_FALLBACK_AFTER_MS is not set; the rest is the built-in engine's. */
const FALLBACK_SHARE_OF_TIMEOUT = 0.75;

/**
 * Picks the language model and speech providers from LLM_PROVIDER and STT_PROVIDER: the one place they
 * are chosen. A model-backed role is always wrapped in its fallback to the built-in engine.
 *
 *   planner/interviewer/evaluator → *WithFallback (one generic Fallback) → Model* (prompts) → ResilientLanguageModel → OpenAiLanguageModel
 *   speech → ResilientSpeechRecognizer (formats, silence and phantom checks) → OpenAiTranscriptionAdapter
 *   (both resilient wrappers run their calls through one runner: resilience/resilient-call.ts)
 */
export function createProviders(config: Config, context: ProviderContext): Providers {
  const builtin = createBuiltinEngine();
  const providerMetrics = ProviderMetrics.on(context.metrics.registry);
  const logger = context.logger.child({ component: 'providers' });
  const circuit = context.circuit ?? CIRCUIT_DEFAULTS;
  const providers: Providers = { ...builtin, speech: new NoSpeechRecognizer(), voice: null };

  if (config.LLM_PROVIDER === 'openai') {
    const modelId = config.LLM_MODEL ?? DEFAULT_LLM_MODEL;
    const labels = { provider: 'openai', model: modelId };
    const breaker = new CircuitBreaker(`llm:${modelId}`, circuit, (state) => {
      providerMetrics.setCircuitState(labels, state);
      logger.warn({ ...labels, state }, 'language model circuit breaker changed state');
    });
    providerMetrics.setCircuitState(labels, 'closed');
    const client = createOpenAiClient({ baseURL: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY, fetch: context.fetch }, logger);
    const budgetMs = config.LLM_FALLBACK_AFTER_MS ?? Math.round(config.AI_TIMEOUT_MS * FALLBACK_SHARE_OF_TIMEOUT);
    const model: LanguageModel = new ResilientLanguageModel(
      new OpenAiLanguageModel({ client, model: modelId, temperature: config.LLM_TEMPERATURE }),
      { breaker, metrics: providerMetrics, logger, retry: context.retry, budgetMs },
    );
    const prompts = PromptLibrary.load();
    const options = { contextTokens: config.LLM_CONTEXT_TOKENS, budgetMs };
    const reporter = { metrics: providerMetrics, logger };
    providers.planner = plannerWithFallback(new ModelPlanner(model, prompts, options), builtin.planner, reporter);
    providers.interviewer = interviewerWithFallback(new ModelInterviewer(model, prompts, options), builtin.interviewer, reporter);
    providers.evaluator = evaluatorWithFallback(new ModelEvaluator(model, prompts, options, builtin.evaluator), builtin.evaluator, reporter);
    logger.info({ ...labels, endpoint: describeEndpoint(config.LLM_BASE_URL) }, 'language model: OpenAI-compatible endpoint');
  }

  if (config.STT_PROVIDER === 'openai') {
    const modelId = config.STT_MODEL ?? DEFAULT_STT_MODEL;
    const labels = { provider: 'openai', model: modelId };
    const breaker = new CircuitBreaker(`stt:${modelId}`, circuit, (state) => {
      providerMetrics.setCircuitState(labels, state);
      logger.warn({ ...labels, state }, 'speech recognizer circuit breaker changed state');
    });
    providerMetrics.setCircuitState(labels, 'closed');
    const adapter = new OpenAiTranscriptionAdapter({
      client: createOpenAiClient({ baseURL: config.STT_BASE_URL, apiKey: config.STT_API_KEY, fetch: context.fetch }, logger),
      model: modelId,
    });
    providers.speech = new ResilientSpeechRecognizer(adapter, {
      acceptedFormats: config.STT_FORMATS,
      breaker,
      metrics: providerMetrics,
      logger,
      retry: context.retry,
      // a little under the coordinator's deadline, so a slow service ends as STT_FAILED (retryable), not AI_TIMEOUT
      budgetMs: Math.max(100, config.STT_TIMEOUT_MS - Math.min(2_000, Math.round(config.STT_TIMEOUT_MS * 0.1))),
    });
    logger.info({ ...labels, endpoint: describeEndpoint(config.STT_BASE_URL) }, 'speech recognizer: OpenAI-compatible endpoint');
  }
  providers.voice = createVoice(config, context, logger);
  return providers;
}

/** TTS_PROVIDER: the built-in voice when its optional package is installed, an endpoint, or none. */
function createVoice(config: Config, context: ProviderContext, logger: Logger): SpeechSynthesizer | null {
  if (config.TTS_PROVIDER === 'none') return null;
  if (config.TTS_PROVIDER === 'openai') {
    const model = config.TTS_MODEL ?? DEFAULT_TTS_MODEL;
    logger.info({ provider: 'openai', model, endpoint: describeEndpoint(config.TTS_BASE_URL) }, 'voice: OpenAI-compatible endpoint');
    return new OpenAiSpeechSynthesizer({
      client: createOpenAiClient({ baseURL: config.TTS_BASE_URL, apiKey: config.TTS_API_KEY, fetch: context.fetch }, logger),
      model,
      voice: config.TTS_VOICE ?? DEFAULT_TTS_VOICE,
    });
  }
  const moduleUrl = builtinVoiceModuleUrl();
  if (moduleUrl === null) {
    logger.info('voice: the optional built-in voice (@echogarden/espeak-ng-emscripten) is not installed; replies are text only');
    return null;
  }
  return new EspeakSpeechSynthesizer(moduleUrl);
}
