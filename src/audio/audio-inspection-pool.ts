import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { VivaError } from '@viva/protocol/viva-error.js';
import type { DecodedAudio, InspectionDepth } from './audio-decoder.js';
import type { InspectionAnswer, InspectionJob, WorkerReady } from './audio-inspection-messages.js';

export interface AudioInspectionPoolOptions {
  /** Most worker threads (AUDIO_INSPECTION_WORKERS); one starts at once, the others when uploads wait. */
  workers: number;
  /** Uploads waiting for a worker past which more are refused with BUSY. */
  maxQueued: number;
  /** Time one inspection may take before its worker is terminated (AUDIO_INSPECTION_TIMEOUT_MS). */
  timeBudgetMs: number;
  /** Heap one worker may use, MiB; a parse that needs more ends the worker. @default 256 */
  memoryBudgetMb?: number;
  maxAudioBytes: number;
  depth: InspectionDepth;
  logger: Logger;
}

// Plain CommonJS, as for the WAL checkpointer: it runs without a TypeScript loader, then imports the real
// worker module, which is .js when built and .ts under tsx (whose loader workers do not inherit on Node 20)
const WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.typescriptLoader !== undefined) (await import(workerData.typescriptLoader)).register();
  await import(workerData.entry);
})().catch((error) => {
  throw error;
});
`;

const moduleExtension = extname(fileURLToPath(import.meta.url));
const workerEntry = new URL(`./audio-inspection-worker${moduleExtension}`, import.meta.url).href;

interface PendingJob {
  job: InspectionJob;
  resolve: (audio: DecodedAudio) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  current: (PendingJob & { timer: NodeJS.Timeout }) | undefined;
  /** Set when the pool ended it on purpose: its exit is no failure. */
  retired: boolean;
}

/**
 * Inspects uploaded audio (base64 decoding, format sniffing, structure, duration, silence) in a small pool
 * of worker threads, so that no upload holds the event loop. Crafted containers (an MP4 `moov` of a million
 * empty boxes, Ogg of empty pages, FLAC of empty padding blocks) keep the metadata parser busy for seconds
 * and hundreds of MiB; here each inspection has a time budget and each worker a heap budget, and a worker
 * past either is terminated and replaced, the upload answered with AUDIO_DECODE_ERROR. At most `workers`
 * inspections run at once and `maxQueued` wait; more get BUSY.
 *
 * One worker starts with the pool (a worker loads its modules in a few hundred milliseconds, more under
 * tsx); the others start when uploads wait for one, so a server that gets little audio keeps one thread.
 */
export class AudioInspectionPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: PendingJob[] = [];
  private nextId = 1;
  private closed = false;
  private readonly firstReady: Promise<void>;
  private markReady: () => void = () => undefined;

  constructor(private readonly options: AudioInspectionPoolOptions) {
    this.firstReady = new Promise((resolve) => {
      this.markReady = resolve;
    });
    this.slots.push(this.spawn());
  }

  /**
   * Resolves once a worker has loaded its modules (or failed to), or after `timeoutMs`: the server waits
   * for it before listening, so its first upload does not pay the worker's start.
   */
  async ready(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.firstReady, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Decodes the base64 (or data URL) `audio_data` of an `audio_input` message or a JSON upload, and inspects it. */
  decodePayload(input: { audio_data: string; audio_format?: string | undefined }): Promise<DecodedAudio> {
    return this.submit({ id: this.nextId++, kind: 'payload', audio_data: input.audio_data, audio_format: input.audio_format });
  }

  /** Inspects raw bytes (a multipart upload); the caller's buffer is copied, not taken. */
  inspectBytes(bytes: Buffer, declaredFormat: string | undefined): Promise<DecodedAudio> {
    if (bytes.length > this.options.maxAudioBytes) {
      return Promise.reject(
        new VivaError('PAYLOAD_TOO_LARGE', `The audio is larger than the ${this.options.maxAudioBytes} bytes this server accepts. Send a shorter recording.`, {
          details: { max_bytes: this.options.maxAudioBytes },
        }),
      );
    }
    return this.submit({ id: this.nextId++, kind: 'bytes', bytes: new Uint8Array(bytes), declared_format: declaredFormat });
  }

  /** Ends every worker; inspections still running or waiting fail with INTERNAL_ERROR. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = new VivaError('INTERNAL_ERROR', 'The server is shutting down. Send the recording again after it restarts.');
    for (const pending of this.waiting.splice(0)) pending.reject(stopping);
    await Promise.all(
      this.slots.map((slot) => {
        slot.retired = true;
        if (slot.current !== undefined) {
          clearTimeout(slot.current.timer);
          slot.current.reject(stopping);
          slot.current = undefined;
        }
        return slot.worker.terminate();
      }),
    );
  }

  private submit(job: InspectionJob): Promise<DecodedAudio> {
    if (this.closed) return Promise.reject(new VivaError('INTERNAL_ERROR', 'The server is shutting down. Send the recording again after it restarts.'));
    if (this.waiting.length >= this.options.maxQueued) {
      return Promise.reject(
        new VivaError('BUSY', 'Too many recordings are being checked on this server right now. Send yours again in a moment.', {
          details: { reason: 'audio_inspection_queue_full' },
        }),
      );
    }
    return new Promise<DecodedAudio>((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    const idle = this.slots.some((slot) => slot.current === undefined);
    if (!idle && this.waiting.length > 0 && this.slots.length < this.options.workers && !this.closed) this.slots.push(this.spawn());
    for (const slot of this.slots) {
      if (!slot.ready || slot.current !== undefined) continue;
      const pending = this.waiting.shift();
      if (pending === undefined) return;
      const timer = setTimeout(() => this.expire(slot), this.options.timeBudgetMs);
      slot.current = { ...pending, timer };
      const transfer = pending.job.kind === 'bytes' ? [pending.job.bytes.buffer] : [];
      slot.worker.postMessage(pending.job, transfer);
    }
  }

  private spawn(): Slot {
    const memory = this.options.memoryBudgetMb ?? 256;
    const worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: {
        entry: workerEntry,
        typescriptLoader: moduleExtension === '.ts' ? import.meta.resolve('tsx/esm/api') : undefined,
        maxAudioBytes: this.options.maxAudioBytes,
        depth: this.options.depth,
      },
      resourceLimits: { maxOldGenerationSizeMb: memory, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, memory / 8)) },
    });
    // idle workers must not keep a process alive that has nothing else to do
    worker.unref();
    const slot: Slot = { worker, ready: false, current: undefined, retired: false };
    worker.on('message', (message: InspectionAnswer | WorkerReady) => {
      if ('ready' in message) {
        slot.ready = true;
        this.markReady();
        this.dispatch();
        return;
      }
      this.settle(slot, message);
    });
    worker.on('error', (error) => this.fail(slot, error));
    worker.on('exit', () => this.fail(slot, undefined));
    return slot;
  }

  private settle(slot: Slot, answer: InspectionAnswer): void {
    const current = slot.current;
    if (current === undefined || current.job.id !== answer.id) return;
    clearTimeout(current.timer);
    slot.current = undefined;
    if (answer.ok) {
      const { bytes, ...rest } = answer.audio;
      current.resolve({ ...rest, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    } else {
      const { code, message, retryable, details, internal } = answer.error;
      if (internal !== undefined) this.options.logger.error({ err: internal }, 'audio inspection failed unexpectedly');
      current.reject(new VivaError(code, message, { retryable, ...(details ? { details } : {}) }));
    }
    this.dispatch();
  }

  /** The inspection ran past its time budget: the worker is stopped mid-parse and replaced. */
  private expire(slot: Slot): void {
    const current = slot.current;
    if (current === undefined) return;
    slot.current = undefined;
    current.reject(
      new VivaError('AUDIO_DECODE_ERROR', 'The audio file took too long to inspect: its structure is unusual or damaged. Record again and send the file as the recorder wrote it.', {
        details: { reason: 'inspection_time_budget', budget_ms: this.options.timeBudgetMs },
      }),
    );
    this.replace(slot);
  }

  /** A worker ended or failed by itself: past its heap budget, or a bug. */
  private fail(slot: Slot, error: Error | undefined): void {
    if (slot.retired) return;
    const current = slot.current;
    slot.current = undefined;
    if (current !== undefined) {
      clearTimeout(current.timer);
      const outOfMemory = (error as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      if (!outOfMemory) this.options.logger.error({ err: error?.message ?? 'exited' }, 'an audio inspection worker failed');
      current.reject(
        outOfMemory
          ? new VivaError('AUDIO_DECODE_ERROR', 'The audio file is too complex to inspect: its structure is unusual or damaged. Record again and send the file as the recorder wrote it.', {
              details: { reason: 'inspection_memory_budget' },
            })
          : new VivaError('INTERNAL_ERROR', 'The audio could not be inspected. Send it again.'),
      );
    } else if (!slot.ready) {
      // a worker that cannot even start (a broken install) would fail every upload: say so, and retry slowly
      this.markReady();
      this.options.logger.error({ err: error?.message ?? 'exited' }, 'an audio inspection worker could not start');
      for (const pending of this.waiting.splice(0)) pending.reject(new VivaError('INTERNAL_ERROR', 'Audio cannot be inspected on this server right now.'));
      this.replace(slot, 1_000);
      return;
    }
    this.replace(slot);
  }

  private replace(slot: Slot, delayMs = 0): void {
    if (slot.retired) return;
    slot.retired = true;
    void slot.worker.terminate();
    const start = () => {
      if (this.closed) return;
      const index = this.slots.indexOf(slot);
      if (index !== -1) this.slots[index] = this.spawn();
    };
    if (delayMs === 0) start();
    else setTimeout(start, delayMs).unref();
  }
}
