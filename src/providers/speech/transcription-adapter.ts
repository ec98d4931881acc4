import type { TranscribeRequest } from '../../interview/interview-ports.js';

/** What a speech service heard, before the vendor-neutral checks (resilient-speech-recognizer.ts). */
export interface RawTranscript {
  /** As the service returned it (untrimmed). */
  text: string;
  /** The recording's length as the service measured it, milliseconds. */
  durationMs?: number | undefined;
  /** ISO 639-1. */
  language?: string | undefined;
  /** Per-segment no-speech probabilities, when the service gives them (Whisper's verbose_json does). */
  noSpeechProbabilities: number[];
}

/**
 * A vendor's speech-to-text, thin: one request, the vendor's errors mapped to ProviderError. Retries,
 * the breaker, budgets, metrics, silence and phantom checks are the wrapper's (ResilientSpeechRecognizer).
 */
export interface TranscriptionAdapter {
  readonly provider: string;
  readonly model: string;
  transcribe(request: TranscribeRequest, signal: AbortSignal): Promise<RawTranscript>;
}
