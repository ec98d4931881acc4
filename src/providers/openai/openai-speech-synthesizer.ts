import type OpenAI from 'openai';
import type { SpeechSynthesizer, SynthesizeRequest, SynthesizedChunk } from '../../interview/interview-ports.js';
import { LinearResampler } from '../../audio/pcm16.js';
import { translateOpenAiError } from './openai-client.js';

/** OpenAI's `pcm` response format: 16-bit little-endian mono at 24 kHz. */
const OPENAI_PCM_RATE = 24_000;

export interface OpenAiSpeechSynthesizerOptions {
  client: OpenAI;
  /** TTS_MODEL. */
  model: string;
  /** TTS_VOICE: the default voice; a client may name another one the endpoint knows. */
  voice: string;
}

/**
 * Any OpenAI-compatible `/v1/audio/speech` endpoint (OpenAI, Kokoro-FastAPI, LocalAI…), read as a stream:
 * the body's bytes are passed on as they arrive, so the first audio does not wait for the whole sentence.
 */
export class OpenAiSpeechSynthesizer implements SpeechSynthesizer {
  readonly provider = 'openai';
  readonly voices: readonly string[];
  readonly formats = ['pcm16', 'mp3', 'opus'] as const;

  constructor(private readonly options: OpenAiSpeechSynthesizerOptions) {
    this.voices = [options.voice];
  }

  async *synthesize(request: SynthesizeRequest): AsyncIterable<SynthesizedChunk> {
    const signal = request.abortSignal;
    const pcm = request.format === 'pcm16';
    let body: ReadableStream<Uint8Array> | null;
    try {
      const response = await this.options.client.audio.speech.create(
        {
          model: this.options.model,
          voice: request.voice ?? this.options.voice,
          input: request.text,
          response_format: request.format === 'pcm16' ? 'pcm' : request.format,
        },
        { signal },
      );
      body = response.body;
    } catch (error) {
      throw translateOpenAiError(error, signal);
    }
    if (body === null) return;
    const resampler = new LinearResampler(OPENAI_PCM_RATE, request.sample_rate);
    let odd: Buffer | undefined;
    const reader = body.getReader();
    try {
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          throw translateOpenAiError(error, signal, 'stream');
        }
        if (next.done) return;
        let bytes = Buffer.from(next.value);
        if (!pcm) {
          yield { audio: bytes, format: request.format, duration_ms: 0 };
          continue;
        }
        // a network chunk may split a sample: carry the odd byte to the next one
        if (odd !== undefined) bytes = Buffer.concat([odd, bytes]);
        odd = bytes.length % 2 === 1 ? bytes.subarray(bytes.length - 1) : undefined;
        const whole = bytes.subarray(0, bytes.length - (bytes.length % 2));
        if (whole.length === 0) continue;
        const aligned = Buffer.from(whole);
        const samples = resampler.push(new Int16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2));
        yield {
          audio: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
          format: 'pcm16',
          sample_rate: request.sample_rate,
          duration_ms: (samples.length / request.sample_rate) * 1000,
        };
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
  }
}
