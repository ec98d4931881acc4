import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ClientMessage } from '@viva/protocol/client-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import type { DecodedAudio, InspectionDepth } from './audio-decoder.js';
import type { InspectionAnswer, InspectionJob, TransferableAudio, WorkerReady } from './audio-inspection-messages.js';
import type { AudioUploadBudget } from './audio-upload-budget.js';

export interface AudioInspectionPoolOptions {
  /** Most worker threads (AUDIO_INSPECTION_WORKERS); one starts at once, the others when uploads wait. */
  workers: number;
  /** Uploads waiting for a worker past which more are refused with BUSY. */
  maxQueued: number;
  /** Time one inspection may take before its worker is terminated (AUDIO_INSPECTION_TIMEOUT_MS). */
  timeBudgetMs: number;
  /** Heap one worker may use, MiB; a parse that needs more ends the worker. @default 256 */
  memoryBudgetMb?: number;
  /**
   * Inspections one client address may have waiting or running at once (AUDIO_INSPECTIONS_PER_IP); more
   * are refused with RATE_LIMITED, so one address cannot fill the queue for everyone.
   */
  maxPerAddress: number;
  /** Bytes of audio per address per minute (AUDIO_BYTES_PER_IP_PER_MINUTE), charged before any work. */
  budget: AudioUploadBudget;
  /** Nice value of the worker threads on Linux (below the event loop's). @default 10 */
  niceness?: number;
  maxAudioBytes: number;
  depth: InspectionDepth;
  logger: Logger;
}

/** A WebSocket frame decoded by a worker: the message (and an `audio_input`'s inspected audio), or the error. */
export type DecodedFrame =
  | { ok: true; message: ClientMessage; audio?: DecodedAudio }
  | { ok: false; error: VivaError; replyTo: string | undefined };

/** What a worker's successful answer carries. */
type Inspected = Extract<InspectionAnswer, { ok: true }>;

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
  resolve: (answer: Inspected) => void;
  reject: (error: unknown, replyTo?: string) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** The worker's thread id (Linux), whose CPU time the time budget counts. */
  threadId: number | undefined;
  current: (PendingJob & { timer: NodeJS.Timeout; startedAt: number; cpuAtStart: number | undefined }) | undefined;
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
  /** Inspections waiting or running, per client address. */
  private readonly perAddress = new Map<string, number>();
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

  /**
   * Decodes the base64 (or data URL) `audio_data` of an `audio_input` message or a JSON upload, and
   * inspects it. `address` is the client's, whose budget it is charged to.
   */
  async decodePayload(input: { audio_data: string; audio_format?: string | undefined }, address: string): Promise<DecodedAudio> {
    const answer = await this.submit({ id: this.nextId++, kind: 'payload', audio_data: input.audio_data, audio_format: input.audio_format }, address, base64Bytes(input.audio_data.length));
    return audioOf(answer);
  }

  /** Inspects raw bytes (a multipart upload); the caller's buffer is copied, not taken. */
  async inspectBytes(bytes: Buffer, declaredFormat: string | undefined, address: string): Promise<DecodedAudio> {
    const answer = await this.submit({ id: this.nextId++, kind: 'bytes', bytes: new Uint8Array(bytes), declared_format: declaredFormat }, address, bytes.length);
    return audioOf(answer);
  }

  /**
   * Decodes a whole WebSocket text frame in a worker: UTF-8, JSON, the message schema and, for an
   * `audio_input`, its audio. For frames too large to parse on the event loop without holding it (a frame
   * of base64 audio takes tens of milliseconds); the frame is charged to the address's audio budget, by its
   * size, before anything is done with it. Never rejects.
   */
  async decodeFrame(frame: Buffer, address: string): Promise<DecodedFrame> {
    // transfer the frame's memory when it is the frame's alone (ws copies large messages into their own
    // buffer); a slice of a larger buffer is copied
    const owned = frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength && frame.buffer instanceof ArrayBuffer;
    const bytes = owned ? new Uint8Array(frame.buffer as ArrayBuffer) : new Uint8Array(frame);
    try {
      const answer = await this.submit({ id: this.nextId++, kind: 'frame', bytes }, address, base64Bytes(frame.length));
      if (answer.message === undefined) throw new VivaError('INTERNAL_ERROR', 'The message could not be read. Send it again.');
      return { ok: true, message: answer.message, ...(answer.audio === undefined ? {} : { audio: fromTransferable(answer.audio) }) };
    } catch (error: unknown) {
      const replyTo = (error as { replyTo?: unknown }).replyTo;
      return { ok: false, error: error instanceof VivaError ? error : new VivaError('INTERNAL_ERROR'), replyTo: typeof replyTo === 'string' ? replyTo : undefined };
    }
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

  /**
   * Queues a job, after the checks that cost nothing: the size (an estimate of the audio bytes), the
   * address's budget and share of the queue, the queue's bound. A refusal leaves the budget untouched.
   */
  private async submit(job: InspectionJob, address: string, audioBytes: number): Promise<Inspected> {
    if (this.closed) throw new VivaError('INTERNAL_ERROR', 'The server is shutting down. Send the recording again after it restarts.');
    const { maxAudioBytes, maxPerAddress, budget } = this.options;
    // base64 may carry whitespace (wrapped lines): only what is far above the limit is refused here, the
    // decoder counts exactly
    if (audioBytes > maxAudioBytes * OVERSIZE_SLACK || (job.kind === 'bytes' && audioBytes > maxAudioBytes)) throw payloadTooLarge(maxAudioBytes);
    const running = this.perAddress.get(address) ?? 0;
    if (running >= maxPerAddress) {
      throw new VivaError('RATE_LIMITED', 'Recordings from this address are already being checked. Send the next when they are answered.', {
        details: { reason: 'audio_inspections_per_address', limit: maxPerAddress },
      });
    }
    if (this.waiting.length >= this.options.maxQueued) {
      throw new VivaError('BUSY', 'Too many recordings are being checked on this server right now. Send yours again in a moment.', {
        details: { reason: 'audio_inspection_queue_full' },
      });
    }
    budget.charge(address, Math.min(audioBytes, maxAudioBytes));
    this.perAddress.set(address, running + 1);
    try {
      return await new Promise<Inspected>((resolve, reject) => {
        this.waiting.push({
          job,
          resolve,
          reject: (error, replyTo) => reject(replyTo === undefined ? error : Object.assign(error as object, { replyTo })),
        });
        this.dispatch();
      });
    } finally {
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    }
  }

  private dispatch(): void {
    const idle = this.slots.some((slot) => slot.current === undefined);
    if (!idle && this.waiting.length > 0 && this.slots.length < this.options.workers && !this.closed) this.slots.push(this.spawn());
    for (const slot of this.slots) {
      if (!slot.ready || slot.current !== undefined) continue;
      const pending = this.waiting.shift();
      if (pending === undefined) return;
      const timer = setTimeout(() => this.expire(slot), this.options.timeBudgetMs);
      slot.current = { ...pending, timer, startedAt: Date.now(), cpuAtStart: threadCpuMs(slot.threadId) };
      // bytes and frames are the pool's own copies (or a frame's own buffer): moved, not cloned
      const transfer = pending.job.kind === 'payload' ? [] : [pending.job.bytes.buffer];
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
        niceness: this.options.niceness ?? 10,
      },
      resourceLimits: { maxOldGenerationSizeMb: memory, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, memory / 8)) },
    });
    // idle workers must not keep a process alive that has nothing else to do
    worker.unref();
    const slot: Slot = { worker, ready: false, threadId: undefined, current: undefined, retired: false };
    worker.on('message', (message: InspectionAnswer | WorkerReady) => {
      if ('ready' in message) {
        slot.ready = true;
        slot.threadId = message.thread_id;
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
      current.resolve(answer);
    } else {
      const { code, message, retryable, details, internal } = answer.error;
      if (internal !== undefined) this.options.logger.error({ err: internal }, 'audio inspection failed unexpectedly');
      current.reject(new VivaError(code, message, { retryable, ...(details ? { details } : {}) }), answer.reply_to);
    }
    this.dispatch();
  }

  /**
   * The inspection ran past its time budget: the worker is stopped mid-parse and replaced. Where the
   * thread's CPU time can be read (Linux), the budget is CPU time: a thread that waited for a core (its
   * priority is below the event loop's, and a busy machine has few to spare) gets the rest of its budget,
   * up to WALL_CLOCK_FACTOR times the budget in all, so an honest upload is not refused for the load.
   */
  private expire(slot: Slot): void {
    const current = slot.current;
    if (current === undefined) return;
    const budget = this.options.timeBudgetMs;
    const cpuNow = threadCpuMs(slot.threadId);
    if (cpuNow !== undefined && current.cpuAtStart !== undefined) {
      const used = cpuNow - current.cpuAtStart;
      const waitedMs = Date.now() - current.startedAt;
      if (used < budget && waitedMs < budget * WALL_CLOCK_FACTOR) {
        current.timer = setTimeout(() => this.expire(slot), Math.max(10, Math.min(budget - used, budget * WALL_CLOCK_FACTOR - waitedMs)));
        return;
      }
    }
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

/** An inspection that waited for a core is given up to this many times its budget in wall-clock time. */
const WALL_CLOCK_FACTOR = 4;
/** /proc reports CPU time in USER_HZ, 100 a second on every Linux architecture Node runs on. */
const USER_HZ = 100;

/** CPU time a thread of this process has used (user and system), milliseconds; undefined off Linux. */
function threadCpuMs(threadId: number | undefined): number | undefined {
  if (threadId === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/self/task/${threadId}/stat`, 'latin1');
    // the fields after the command name (which may hold spaces and parentheses): utime and stime are 14th and 15th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** How far above MAX_AUDIO_BYTES base64 text may estimate before it is refused unread (line wrapping). */
const OVERSIZE_SLACK = 1.1;

/** The audio bytes base64 text of this many characters holds, about (whitespace and padding counted). */
function base64Bytes(characters: number): number {
  return Math.floor((characters * 3) / 4);
}

function payloadTooLarge(maxAudioBytes: number): VivaError {
  return new VivaError('PAYLOAD_TOO_LARGE', `The audio is larger than the ${maxAudioBytes} bytes this server accepts. Send a shorter recording.`, {
    details: { max_bytes: maxAudioBytes },
  });
}

function fromTransferable(audio: TransferableAudio): DecodedAudio {
  const { bytes, ...rest } = audio;
  return { ...rest, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

function audioOf(answer: Inspected): DecodedAudio {
  if (answer.audio === undefined) throw new VivaError('INTERNAL_ERROR', 'The audio could not be inspected. Send it again.');
  return fromTransferable(answer.audio);
}
