import { isSilent } from '../../audio/silence-detector.js';
import type { SpeechRecognizer, TranscribeRequest, Transcription } from '../../interview/interview-ports.js';
import type { AudioFormat } from '@viva/protocol/client-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { ProviderError } from '../provider-error.js';
import { ResilientCall, type CallDescription, type ResilienceOptions } from '../resilience/resilient-call.js';
import { isPhantomTranscript } from './phantom-transcripts.js';
import type { RawTranscript, TranscriptionAdapter } from './transcription-adapter.js';

export interface ResilientSpeechRecognizerOptions extends ResilienceOptions {
  /** STT_FORMATS: formats the endpoint takes; empty for all. */
  acceptedFormats: readonly AudioFormat[];
}

function noSpeech(reason: 'silence' | 'phantom' | 'empty'): VivaError {
  return new VivaError('STT_FAILED', 'No speech was heard in the recording. Check the microphone and speak again, or type your answer.', {
    retryable: false,
    details: { reason: 'no_speech', detected_by: reason },
  });
}

/**
 * A SpeechRecognizer around any vendor's TranscriptionAdapter, with what does not depend on the vendor:
 * the formats the endpoint takes (STT_FORMATS), the shared runner (retries, breaker, budget, metrics, log:
 * resilient-call.ts), and no-speech checks.
 *
 * Whisper-like models invent text for silence, so silence is refused before it is sent (WAV is measured;
 * other formats cannot be without a codec) and an empty transcript or one made of known phantom phrases is
 * refused after: both as STT_FAILED, not retryable, saying no speech was heard. A service that is down,
 * slow or rate limited gets retries, then STT_FAILED retryable: nothing of the input was stored, so the
 * client sends the same recording again (with the same `id`; see docs/providers.md on why the audio is
 * not parked on the server).
 */
export class ResilientSpeechRecognizer implements SpeechRecognizer {
  readonly provider: string;

  constructor(
    private readonly adapter: TranscriptionAdapter,
    private readonly options: ResilientSpeechRecognizerOptions,
  ) {
    this.provider = adapter.provider;
  }

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
    const description = this.describe(request);
    // the gateway measured it off the event loop when the upload was inspected; only direct callers measure here
    const silent =
      request.silent ?? (await isSilent({ bytes: request.audio, format: request.format, mime_type: request.mime_type, file_name: request.file_name }));
    if (silent === true) {
      options.metrics.speechRejected.inc({ reason: 'silence' });
      options.logger.debug(
        { ...description.logFields, provider: this.provider, model: this.adapter.model, operation: 'transcribe', outcome: 'no_speech', attempts: 0, duration_ms: Math.round(performance.now() - started), detected_by: 'silence' },
        description.logMessage,
      );
      throw noSpeech('silence');
    }

    let call: ResilientCall;
    try {
      call = new ResilientCall(options, description);
    } catch (error) {
      throw this.toVivaError(error, request);
    }
    let raw: RawTranscript;
    try {
      try {
        raw = await call.attempt((signal) => this.adapter.transcribe(request, signal));
      } catch (error) {
        const final = call.failed(error);
        // the caller's own abort reason goes through as it is
        throw request.abortSignal?.aborted === true ? final : this.toVivaError(final, request);
      }
      return this.interpret(raw, request, call);
    } finally {
      call.close();
    }
  }

  private describe(request: TranscribeRequest): CallDescription {
    return {
      provider: this.provider,
      model: this.adapter.model,
      operation: 'transcribe',
      subject: 'The speech service',
      logMessage: 'transcription call',
      retryLogMessage: 'transcription failed; retrying',
      logFields: { session_id: request.session_id, audio_format: request.format, audio_bytes: request.audio.length },
      abortSignal: request.abortSignal,
    };
  }

  /** The service answered; whether it heard speech is decided here, the same for every vendor. */
  private interpret(raw: RawTranscript, request: TranscribeRequest, call: ResilientCall): Transcription {
    const text = raw.text.trim();
    const durationMs = raw.durationMs ?? request.duration_ms;
    const rejected =
      text === '' ? 'empty' : isPhantomTranscript({ text, durationMs, noSpeechProbabilities: raw.noSpeechProbabilities }) ? 'phantom' : undefined;
    if (rejected !== undefined) {
      this.options.metrics.speechRejected.inc({ reason: rejected });
      call.succeeded({ detected_by: rejected }, 'no_speech');
      throw noSpeech(rejected);
    }
    call.succeeded({ audio_duration_ms: durationMs, characters: text.length });
    const language = raw.language;
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
}
