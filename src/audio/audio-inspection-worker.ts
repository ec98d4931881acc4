/**
 * The body of an audio inspection worker (see AudioInspectionPool): decodes and inspects one upload at a
 * time, off the main thread, and answers with the result or the contract error. It holds no state between
 * jobs, so the pool may terminate it at any moment and start another.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { VivaError } from '@viva/protocol/viva-error.js';
import { decodeClientMessage } from '../gateway/client-message-decoder.js';
import { decodeAudioPayload, inspectAudioBytes, type InspectionDepth } from './audio-decoder.js';
import type { InspectionAnswer, InspectionJob } from './audio-inspection-messages.js';

const port = parentPort;
if (port === null) throw new Error('audio-inspection-worker runs only as a worker thread');
const settings = workerData as { maxAudioBytes: number; depth: InspectionDepth; niceness: number };
const limits = { maxAudioBytes: settings.maxAudioBytes, depth: settings.depth };
const utf8 = new TextDecoder('utf-8', { fatal: true });

const threadId = linuxThreadId();
lowerThreadPriority(threadId, settings.niceness);

port.on('message', (job: InspectionJob) => {
  void inspect(job).then((answer) => {
    // the bytes go back transferred, not cloned: the main thread does no copying
    port.postMessage(answer, answer.ok && answer.audio !== undefined ? [answer.audio.bytes.buffer] : []);
  });
});
port.postMessage({ ready: true, ...(threadId === undefined ? {} : { thread_id: threadId }) });

async function inspect(job: InspectionJob): Promise<InspectionAnswer> {
  let replyTo: string | undefined;
  try {
    if (job.kind === 'frame') {
      const decoded = decodeFrame(job.bytes);
      if (!decoded.ok) {
        replyTo = decoded.replyTo;
        throw decoded.error;
      }
      const message = decoded.message;
      replyTo = message.id;
      if (message.type !== 'audio_input') return { id: job.id, ok: true, message };
      const audio = await decodeAudioPayload({ audio_data: message.data.audio_data, audio_format: message.data.audio_format }, limits);
      return { id: job.id, ok: true, message: { ...message, data: { ...message.data, audio_data: '' } }, audio: transferable(audio) };
    }
    const decoded =
      job.kind === 'payload'
        ? await decodeAudioPayload({ audio_data: job.audio_data, audio_format: job.audio_format }, limits)
        : await inspectAudioBytes(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.declared_format, limits);
    return { id: job.id, ok: true, audio: transferable(decoded) };
  } catch (error) {
    const answerTo = replyTo === undefined ? {} : { reply_to: replyTo };
    if (error instanceof VivaError) {
      return {
        id: job.id,
        ok: false,
        error: { code: error.code, message: error.message, retryable: error.retryable, ...(error.details ? { details: error.details } : {}) },
        ...answerTo,
      };
    }
    // never a stack or a path to the client: the pool logs the description and answers INTERNAL_ERROR
    return { id: job.id, ok: false, error: { code: 'INTERNAL_ERROR', message: 'The audio could not be inspected.', retryable: true, internal: String(error) }, ...answerTo };
  }
}

function decodeFrame(bytes: Uint8Array): ReturnType<typeof decodeClientMessage> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, error: new VivaError('INVALID_JSON', 'The frame is not valid UTF-8 text. Send JSON encoded as UTF-8.'), replyTo: undefined };
  }
  return decodeClientMessage(text);
}

function transferable(audio: Awaited<ReturnType<typeof decodeAudioPayload>>): NonNullable<Extract<InspectionAnswer, { ok: true }>['audio']> {
  const { bytes, ...rest } = audio;
  // a copy this thread owns outright (a small Buffer shares Node's allocation pool, which cannot be transferred)
  return { ...rest, bytes: new Uint8Array(bytes) };
}

/**
 * Inspection competes for the cores with the event loop that answers every candidate; on Linux a thread
 * has its own nice value, so this one yields to the event loop when both want a core (and still gets an
 * idle core at full speed). Elsewhere, or if the system refuses, it runs at the process's priority.
 */
function lowerThreadPriority(threadId: number | undefined, niceness: number): void {
  if (niceness <= 0 || threadId === undefined) return;
  try {
    // setpriority on a thread id changes that thread only
    setPriority(threadId, niceness);
  } catch {
    // not allowed: run at the process's priority
  }
}

/** This thread's id: `/proc/thread-self` links to `<pid>/task/<tid>` (Linux only). */
function linuxThreadId(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    return Number.isInteger(threadId) && threadId > 0 ? threadId : undefined;
  } catch {
    return undefined;
  }
}
