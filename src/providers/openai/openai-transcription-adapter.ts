import type OpenAI from 'openai';
import type { TranscribeRequest } from '../../interview/interview-ports.js';
import { ProviderError } from '../provider-error.js';
import type { RawTranscript, TranscriptionAdapter } from '../speech/transcription-adapter.js';
import { translateOpenAiError } from './openai-client.js';
import { encodeMultipart } from './multipart-body.js';

export interface OpenAiTranscriptionAdapterOptions {
  client: OpenAI;
  /** STT_MODEL. @default 'whisper-1' */
  model: string;
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

/**
 * The adapter for any OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI, Azure OpenAI, Groq,
 * whisper.cpp server, faster-whisper servers, vLLM): one multipart upload with the audio's real format and
 * file name, `language` passed on, `verbose_json` while the server accepts it (then `json`), errors
 * mapped to ProviderError. Everything else (retries, breaker, silence and phantom checks, what the client
 * is told) is ResilientSpeechRecognizer's.
 */
export class OpenAiTranscriptionAdapter implements TranscriptionAdapter {
  readonly provider = 'openai';
  readonly model: string;
  /** Capability flag: verbose_json until the server refuses it. */
  private verbose = true;

  constructor(private readonly options: OpenAiTranscriptionAdapterOptions) {
    this.model = options.model;
  }

  async transcribe(request: TranscribeRequest, signal: AbortSignal): Promise<RawTranscript> {
    const answer = await this.send(request, signal);
    const segments = Array.isArray(answer.segments) ? (answer.segments as Array<{ no_speech_prob?: unknown }>) : [];
    return {
      text: typeof answer.text === 'string' ? answer.text : '',
      durationMs: typeof answer.duration === 'number' && Number.isFinite(answer.duration) ? Math.round(answer.duration * 1000) : undefined,
      language: languageCode(answer.language),
      noSpeechProbabilities: segments.flatMap((segment) => (typeof segment.no_speech_prob === 'number' ? [segment.no_speech_prob] : [])),
    };
  }

  private async send(request: TranscribeRequest, signal: AbortSignal): Promise<TranscriptionAnswer> {
    const language = requestLanguage(request.language);
    // the SDK's generic post, with the multipart body encoded in memory (see multipart-body.ts for why):
    // the same request `audio.transcriptions.create` makes, with the SDK's headers, errors and parsing
    const send = async () => {
      const { body, contentType } = encodeMultipart([
        { name: 'file', fileName: request.file_name, type: request.mime_type, data: request.audio },
        { name: 'model', value: this.model },
        ...(language === undefined ? [] : [{ name: 'language', value: language }]),
        { name: 'response_format', value: this.verbose ? 'verbose_json' : 'json' },
      ]);
      return await this.options.client.post<TranscriptionAnswer | string>('/audio/transcriptions', { body, headers: { 'content-type': contentType }, signal });
    };
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
}
