/**
 * The microphone's audio thread (an AudioWorklet module, bundled by Vite into its own file and loaded with
 * `audioWorklet.addModule`, so no inline script is needed under a strict CSP). It turns the context's
 * Float32 frames (44.1 or 48 kHz) into 16-bit PCM at 16 kHz, the §9 input format, and posts one chunk of
 * CHUNK_MS milliseconds at a time with its peak level for the meter.
 *
 * The AudioWorkletGlobalScope is not in TypeScript's DOM library: the few names used are declared here.
 */

declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

/** Output sample rate: what voice_start announces. */
const TARGET_RATE = 16_000;
/** Chunk length: short enough for a quick end of turn, long enough to keep messages few (10 per second). */
const CHUNK_MS = 100;
const CHUNK_SAMPLES = (TARGET_RATE * CHUNK_MS) / 1000;

/** What the worklet posts to the page: `pcm` is the bytes of CHUNK_SAMPLES little-endian Int16 samples. */
export interface CaptureChunk {
  pcm: ArrayBuffer;
  /** Peak absolute sample value of the chunk, 0 to 1. */
  peak: number;
}

class PcmCaptureProcessor extends AudioWorkletProcessor {
  /** Input samples per output sample, e.g. 3 at 48 kHz. */
  private readonly step = sampleRate / TARGET_RATE;
  /** Input samples counted toward the next output sample (fractional steps carry over). */
  private phase = 0;
  private sum = 0;
  private count = 0;
  private chunk = new Int16Array(CHUNK_SAMPLES);
  private filled = 0;
  private peak = 0;

  process(inputs: Float32Array[][]): boolean {
    // the first channel is enough: the microphone is opened as mono, and speech needs no stereo
    const samples = inputs[0]?.[0];
    if (samples === undefined) return true;
    for (const sample of samples) {
      // averaging the input samples of one output sample is a box low-pass: no aliasing worth hearing
      // for speech, and far cheaper than a windowed-sinc resampler on the audio thread
      this.sum += sample;
      this.count += 1;
      this.phase += 1;
      if (this.phase < this.step) continue;
      this.phase -= this.step;
      this.emit(this.sum / this.count);
      this.sum = 0;
      this.count = 0;
    }
    return true;
  }

  private emit(value: number): void {
    const clamped = Math.max(-1, Math.min(1, value));
    this.peak = Math.max(this.peak, Math.abs(clamped));
    this.chunk[this.filled] = clamped < 0 ? Math.round(clamped * 0x8000) : Math.round(clamped * 0x7fff);
    this.filled += 1;
    if (this.filled < CHUNK_SAMPLES) return;
    const message: CaptureChunk = { pcm: this.chunk.buffer, peak: this.peak };
    // the buffer is handed over, not copied; the next chunk gets a fresh one
    this.port.postMessage(message, [this.chunk.buffer]);
    this.chunk = new Int16Array(CHUNK_SAMPLES);
    this.filled = 0;
    this.peak = 0;
  }
}

registerProcessor('viva-pcm-capture', PcmCaptureProcessor);
