/**
 * The body of an audio inspection worker (see AudioInspectionPool): decodes and inspects one upload at a
 * time, off the main thread, and answers with the result or the contract error. It holds no state between
 * jobs, so the pool may terminate it at any moment and start another.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VivaError } from '@viva/protocol/viva-error.js';
import { decodeAudioPayload, inspectAudioBytes, type InspectionDepth } from './audio-decoder.js';
import type { InspectionAnswer, InspectionJob } from './audio-inspection-messages.js';

const port = parentPort;
if (port === null) throw new Error('audio-inspection-worker runs only as a worker thread');
const settings = workerData as { maxAudioBytes: number; depth: InspectionDepth };
const limits = { maxAudioBytes: settings.maxAudioBytes, depth: settings.depth };

port.on('message', (job: InspectionJob) => {
  void inspect(job).then((answer) => {
    // the bytes go back transferred, not cloned: the main thread does no copying
    port.postMessage(answer, answer.ok ? [answer.audio.bytes.buffer] : []);
  });
});
port.postMessage({ ready: true });

async function inspect(job: InspectionJob): Promise<InspectionAnswer> {
  try {
    const decoded =
      job.kind === 'payload'
        ? await decodeAudioPayload({ audio_data: job.audio_data, audio_format: job.audio_format }, limits)
        : await inspectAudioBytes(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.declared_format, limits);
    const { bytes, ...rest } = decoded;
    // a copy this thread owns outright (a small Buffer shares Node's allocation pool, which cannot be transferred)
    return { id: job.id, ok: true, audio: { ...rest, bytes: new Uint8Array(bytes) } };
  } catch (error) {
    if (error instanceof VivaError) {
      return {
        id: job.id,
        ok: false,
        error: { code: error.code, message: error.message, retryable: error.retryable, ...(error.details ? { details: error.details } : {}) },
      };
    }
    // never a stack or a path to the client: the pool logs the description and answers INTERNAL_ERROR
    return { id: job.id, ok: false, error: { code: 'INTERNAL_ERROR', message: 'The audio could not be inspected.', retryable: true, internal: String(error) } };
  }
}
