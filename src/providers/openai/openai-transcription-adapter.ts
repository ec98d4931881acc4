import type OpenAI from 'openai';
import { toFile } from 'openai';
import type { Logger } from 'pino';
import { isSilent } from '../../audio/silence-detector.js';
import type { SpeechRecognizer, TranscribeRequest, Transcription } from '../../interview/interview-ports.js';
import type { AudioFormat } from '../../protocol/client-messages.js';
import { VivaError } from '../../protocol/viva-error.js';
import { ProviderError, errorKindOf } from '../provider-error.js';
import type { ProviderMetrics } from '../provider-metrics.js';
import { CallScope } from '../resilience/call-scope.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { RETRY_DEFAULTS, withRetries, type RetryPolicy } from '../resilience/retry-policy.js';
import { isPhantomTranscript } from '../speech/phantom-transcripts.js';
import { translateOpenAiError } from './openai-client.js';

export interface OpenAiSpeechRecognizerOptions {
  client: OpenAI;
  /** STT_MODEL. @default 'whisper-1' */
  model: string;
  /** STT_FORMATS: formats the endpoint takes; empty for all. */
  acceptedFormats: readonly AudioFormat[];
  breaker: CircuitBreaker;
  metrics: ProviderMetrics;
  logger: Logger;
  retry?: RetryPolicy | undefined;
  /** Time for the call over all attempts, milliseconds; a little under STT_TIMEOUT_MS. */
  budgetMs: number;
}

/** What transcription endpoints answer: `json` has `text`; `verbose_json` adds duration, language, segments. */
interface TranscriptionAnswer {
  text?: unknown;
  duration?: unknown;
  language?: unknown;
  segments?: Array<{ no_speech_prob?: unknown }> | unknown;
}

/** verbose_json names languages in English ("english"); the contract's clients speak ISO 639-1. */
const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  english: 'en',
  chinese: 'zh',
  mandarin: 'zh',
  cantonese: 'yue',
  japanese: 'ja',
  korean: 'ko',
  spanish: 'es',
  french: 'fr',
  german: 'de',
  portuguese: 'pt',
  russian: 'ru',
  italian: 'it',
  dutch: 'nl',
  arabic: 'ar',
  hindi: 'hi',
};

function languageCode(language: unknown): string | undefined {
  if (typeof language !== 'string' || language.trim() === '') return undefined;
  const lower = language.trim().toLowerCase();
  return LANGUAGE_CODES[lower] ?? lower;
}

/** `en-US` → `en`: transcription endpoints take ISO 639-1 and refuse regional tags. */
function requestLanguage(language: string | undefined): string | undefined {
  const primary = language?.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary === undefined || !/^[a-z]{2,3}$/.test(primary) ? undefined : primary;
}

function noSpeech(reason: 'silence' | 'phantom' | 'empty'): VivaError {
  return new VivaError('STT_FAILED', 'No speech was heard in the recording. Check the microphone and speak again, or type your answer.', {
    retryable: false,
    details: { reason: 'no_speech', detected_by: reason },
  });
}

/**
 * Speech recognition through any OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI, Azure
 * OpenAI, Groq, whisper.cpp server, faster-whisper servers, vLLM): a multipart upload with the audio's
 * real format and file name, `language` passed on, `verbose_json` while the server accepts it (then
 * `json`).
 *
 * Whisper invents text for silence, so silence is refused before it is sent (WAV is measured; other
 * formats cannot be without a codec) and a transcript made of known phantom phrases is refused after:
 * both as STT_FAILED, not retryable, saying no speech was heard. A service that is down, slow or rate
 * limited gets retries, then STT_FAILED retryable: nothing of the input was stored, so the client sends
 * the same recording again (with the same `id`; see docs/providers.md on why the audio is not parked on
 * the server).
 */
export class OpenAiSpeechRecognizer implements SpeechRecognizer {
  readonly provider = 'openai';
  /** Capability flag: verbose_json until the server refuses it. */
  private verbose = true;

  constructor(private readonly options: OpenAiSpeechRecognizerOptions) {}

  async transcribe(request: TranscribeRequest): Promise<Transcription> {
    const { options } = this;
    const started = performance.now();
    const accepted = options.acceptedFormats;
    if (accepted.length > 0 && !accepted.includes(request.format)) {
      throw new VivaError(
        'UNSUPPORTED_AUDIO_FORMAT',
        `This server's speech service takes ${accepted.join(', ')} recordings, not ${request.format}. Record in one of those formats, or type your answer.`,
        { details: { audio_format: request.format, accepted_formats: [...accepted] } },
      );
    }
    const silent = await isSilent({ bytes: request.audio, format: request.format, mime_type: request.mime_type, file_name: request.file_name });
    if (silent === true) {
      options.metrics.speechRejected.inc({ reason: 'silence' });
      this.log(request, 'no_speech', started, 0, { detected_by: 'silence' });
      throw noSpeech('silence');
    }
    if (!options.breaker.tryAcquire()) {
      options.metrics.errors.inc({ ...this.labels(), kind: 'circuit_open' });
      throw this.toVivaError(new ProviderError('circuit_open', 'The speech service failed repeatedly; calls are paused for a while.'), request);
    }

    const scope = new CallScope(request.abortSignal, options.budgetMs);
    let attempts = 0;
    let answer: TranscriptionAnswer;
    try {
      answer = await withRetries(
        async (attempt) => {
          attempts = attempt;
          try {
            return await this.once(request, scope.signal);
          } catch (error) {
            if (!scope.signal.aborted) options.metrics.errors.inc({ ...this.labels(), kind: errorKindOf(error) });
            throw error;
          }
        },
        {
          policy: options.retry ?? RETRY_DEFAULTS,
          signal: scope.signal,
          onRetry: ({ attempt, delayMs, error }) => {
            options.metrics.retries.inc(this.labels());
            options.logger.debug({ session_id: request.session_id, ...this.labels(), attempt, delay_ms: delayMs, kind: errorKindOf(error) }, 'transcription failed; retrying');
          },
        },
      );
    } catch (error) {
      if (scope.abortedByCaller) {
        options.breaker.release();
        options.metrics.requestDuration.observe({ ...this.labels(), outcome: 'cancelled' }, (performance.now() - started) / 1000);
        throw request.abortSignal?.reason ?? error;
      }
      const final = scope.budgetExpired
        ? new ProviderError('timeout', `The speech service gave no answer within ${options.budgetMs} ms.`, { cause: error })
        : error;
      if (scope.budgetExpired) options.metrics.errors.inc({ ...this.labels(), kind: 'timeout' });
      if (!(final instanceof ProviderError) || final.countsAsOutage) options.breaker.recordFailure();
      else options.breaker.release();
      options.metrics.requestDuration.observe({ ...this.labels(), outcome: 'error' }, (performance.now() - started) / 1000);
      this.log(request, 'error', started, attempts, { kind: errorKindOf(final), err: final instanceof Error ? final.message : String(final) });
      throw this.toVivaError(final, request);
    } finally {
      scope.close();
    }

    options.breaker.recordSuccess();
    options.metrics.requestDuration.observe({ ...this.labels(), outcome: 'ok' }, (performance.now() - started) / 1000);
    return this.interpret(answer, request, started, attempts);
  }

  private labels() {
    return { provider: this.provider, model: this.options.model, operation: 'transcribe' };
  }

  private async once(request: TranscribeRequest, signal: AbortSignal): Promise<TranscriptionAnswer> {
    const language = requestLanguage(request.language);
    const send = async () =>
      (await this.options.client.audio.transcriptions.create(
        {
          // a new File each time: an upload body cannot be sent twice
          file: await toFile(request.audio, request.file_name, { type: request.mime_type }),
          model: this.options.model,
          ...(language === undefined ? {} : { language }),
          response_format: this.verbose ? 'verbose_json' : 'json',
        },
        { signal },
      )) as unknown as TranscriptionAnswer | string;
    let answer: TranscriptionAnswer | string;
    try {
      answer = await send();
    } catch (error) {
      const translated = translateOpenAiError(error, signal);
      if (!(this.verbose && translated instanceof ProviderError && translated.kind === 'bad_request' && /verbose_json|response_format/i.test(translated.message))) {
        throw translated;
      }
      this.verbose = false;
      try {
        answer = await send();
      } catch (second) {
        throw translateOpenAiError(second, signal);
      }
    }
    // a server that answers text/plain is understood too
    return typeof answer === 'string' ? { text: answer } : answer;
  }

  private interpret(answer: TranscriptionAnswer, request: TranscribeRequest, started: number, attempts: number): Transcription {
    const text = typeof answer.text === 'string' ? answer.text.trim() : '';
    const durationMs =
      typeof answer.duration === 'number' && Number.isFinite(answer.duration) ? Math.round(answer.duration * 1000) : request.duration_ms;
    const segments = Array.isArray(answer.segments) ? (answer.segments as Array<{ no_speech_prob?: unknown }>) : [];
    const noSpeechProbabilities = segments.flatMap((segment) => (typeof segment.no_speech_prob === 'number' ? [segment.no_speech_prob] : []));
    if (text === '') {
      this.options.metrics.speechRejected.inc({ reason: 'empty' });
      this.log(request, 'no_speech', started, attempts, { detected_by: 'empty' });
      throw noSpeech('empty');
    }
    if (isPhantomTranscript({ text, durationMs, noSpeechProbabilities })) {
      this.options.metrics.speechRejected.inc({ reason: 'phantom' });
      this.log(request, 'no_speech', started, attempts, { detected_by: 'phantom' });
      throw noSpeech('phantom');
    }
    const language = languageCode(answer.language);
    this.log(request, 'ok', started, attempts, { audio_duration_ms: durationMs, characters: text.length });
    return { text, ...(language === undefined ? {} : { language }), ...(durationMs === undefined ? {} : { duration_ms: durationMs }) };
  }

  /** What a client is told; the upstream's own words stay in the logs. */
  private toVivaError(error: unknown, request: TranscribeRequest): VivaError {
    if (error instanceof VivaError) return error;
    if (error instanceof ProviderError && error.kind === 'bad_request') {
      if (error.status === 413) {
        return new VivaError('STT_FAILED', 'The recording is too long for the speech service. Send a shorter one, or type your answer.', {
          retryable: false,
          cause: error,
        });
      }
      if (/format|decod|unsupported|invalid file|could not (read|process)|audio file|corrupt/i.test(error.message)) {
        const accepted = this.options.acceptedFormats;
        return new VivaError(
          'UNSUPPORTED_AUDIO_FORMAT',
          `The speech service could not read this ${request.format} recording. ${
            accepted.length > 0 ? `It takes ${accepted.join(', ')}.` : 'Try wav or mp3.'
          } Or type your answer.`,
          { details: { audio_format: request.format, ...(accepted.length > 0 ? { accepted_formats: [...accepted] } : {}) }, cause: error },
        );
      }
    }
    if (error instanceof ProviderError && (error.kind === 'bad_request' || error.kind === 'auth' || error.kind === 'not_found')) {
      return new VivaError('STT_FAILED', 'Speech recognition is not working on this server right now. Type your answer instead.', {
        retryable: false,
        cause: error,
      });
    }
    return new VivaError('STT_FAILED', 'The speech service is not answering right now. Send the recording again in a moment, or type your answer.', {
      retryable: true,
      cause: error,
    });
  }

  private log(request: TranscribeRequest, outcome: string, started: number, attempts: number, extra: Record<string, unknown>): void {
    this.options.logger.debug(
      {
        session_id: request.session_id,
        ...this.labels(),
        outcome,
        attempts,
        audio_format: request.format,
        audio_bytes: request.audio.length,
        duration_ms: Math.round(performance.now() - started),
        ...extra,
      },
      'transcription call',
    );
  }
}
