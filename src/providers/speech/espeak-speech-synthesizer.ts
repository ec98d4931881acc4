import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SpeechSynthesizer, SynthesizeRequest, SynthesizedChunk } from '../../interview/interview-ports.js';
import { LinearResampler } from '../../audio/pcm16.js';
import { ProviderError } from '../provider-error.js';

/**
 * The built-in offline voice: eSpeak NG compiled to WebAssembly (`@echogarden/espeak-ng-emscripten`,
 * GPL-3.0). It is an optional dependency, loaded with a dynamic import inside a worker thread, so the
 * server works without it (TTS_PROVIDER=builtin then reports no voice) and its code never mixes with
 * ours. eSpeak synthesizes synchronously (about 60 ms of CPU per second of speech): in a worker, a long
 * sentence never holds the event loop that carries everyone's audio.
 */

const PACKAGE = '@echogarden/espeak-ng-emscripten';
const ESPEAK_SAMPLE_RATE = 22_050;
/** eSpeak's own words-per-minute; a little slower than its default, for an interview. */
const WORDS_PER_MINUTE = 165;

/** Voices offered, first the default; `cmn` is Mandarin (it reads Chinese characters). */
const VOICES = ['en-us', 'en-gb', 'cmn'] as const;
const DEFAULT_VOICE_BY_LANGUAGE: Readonly<Record<string, string>> = { en: 'en-us', zh: 'cmn' };

// plain ES module source run by the worker: it needs no TypeScript loader, only the eSpeak package
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let loading;
// one load, shared by the warm-up and the first job
function load() {
  loading ??= (async () => {
    const { default: initialize } = await import(workerData.moduleUrl);
    const module = await initialize();
    const engine = new module.eSpeakNGWorker();
    engine.set_rate(workerData.wordsPerMinute);
    return engine;
  })();
  return loading;
}
parentPort.on('message', async (job) => {
  if (job.warmUp) {
    await load().catch(() => undefined);
    return;
  }
  try {
    const espeak = await load();
    espeak.set_voice(job.voice);
    espeak.synthesize(job.text, (samples) => {
      if (samples && samples.length > 0) {
        const copy = Int16Array.from(samples);
        parentPort.postMessage({ id: job.id, samples: copy }, [copy.buffer]);
      }
    });
    parentPort.postMessage({ id: job.id, done: true });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String(error && error.message || error) });
  }
});
`;

type WorkerReply = { id: number; samples?: Int16Array; done?: boolean; error?: string };

interface Job {
  id: number;
  text: string;
  voice: string;
  onReply: (reply: WorkerReply) => void;
}

/** Whether the optional eSpeak package is installed (without loading it). */
export function builtinVoiceModuleUrl(): string | null {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve(PACKAGE)).href;
  } catch {
    return null;
  }
}

export class EspeakSpeechSynthesizer implements SpeechSynthesizer {
  readonly provider = 'builtin';
  readonly voices: readonly string[] = VOICES;
  readonly formats = ['pcm16'] as const;
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private current: Job | undefined;
  private nextId = 1;

  constructor(private readonly moduleUrl: string) {}

  async *synthesize(request: SynthesizeRequest): AsyncIterable<SynthesizedChunk> {
    const voice = request.voice !== undefined && VOICES.includes(request.voice as (typeof VOICES)[number])
      ? request.voice
      : (DEFAULT_VOICE_BY_LANGUAGE[request.language ?? 'en'] ?? 'en-us');
    const resampler = new LinearResampler(ESPEAK_SAMPLE_RATE, request.sample_rate);
    const pending: WorkerReply[] = [];
    let wake: (() => void) | undefined;
    const job: Job = {
      id: this.nextId++,
      text: request.text,
      voice,
      onReply: (reply) => {
        pending.push(reply);
        wake?.();
      },
    };
    const signal = request.abortSignal;
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    this.enqueue(job);
    try {
      for (;;) {
        if (signal?.aborted === true) return;
        const reply = pending.shift();
        if (reply === undefined) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        if (reply.error !== undefined) throw new ProviderError('server_error', `The built-in voice failed: ${reply.error}`);
        if (reply.done === true) return;
        if (reply.samples !== undefined) {
          const samples = resampler.push(reply.samples);
          yield {
            audio: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
            format: 'pcm16',
            sample_rate: request.sample_rate,
            duration_ms: (samples.length / request.sample_rate) * 1000,
          };
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // an abandoned job still queued is dropped; one already running finishes into the void
      const index = this.queue.indexOf(job);
      if (index >= 0) this.queue.splice(index, 1);
    }
  }

  /** Starts the worker and loads eSpeak (about 150 ms, seconds on a busy machine) before the first reply. */
  warmUp(): void {
    if (this.worker !== undefined) return;
    this.ensureWorker().postMessage({ warmUp: true });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  /** One job at a time in the worker, so a cancelled job still waiting is never synthesized. */
  private enqueue(job: Job): void {
    this.queue.push(job);
    if (this.current === undefined) this.startNext();
  }

  private startNext(): void {
    const job = this.queue.shift();
    this.current = job;
    if (job === undefined) return;
    this.ensureWorker().postMessage({ id: job.id, text: job.text, voice: job.voice });
  }

  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { moduleUrl: this.moduleUrl, wordsPerMinute: WORDS_PER_MINUTE },
    });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const job = this.current;
      if (job === undefined || job.id !== reply.id) return;
      job.onReply(reply);
      if (reply.done === true || reply.error !== undefined) this.startNext();
    });
    worker.on('error', (error) => {
      this.current?.onReply({ id: this.current.id, error: error.message });
      this.worker = undefined;
      this.startNext();
    });
    this.worker = worker;
    return worker;
  }
}
