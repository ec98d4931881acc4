import type { ClientMessage } from '@viva/protocol/client-messages.js';
import type { ErrorCode } from '@viva/protocol/error-codes.js';
import type { DecodedAudio } from './audio-decoder.js';

/**
 * What the pool asks of an inspection worker: base64 text to decode and inspect, raw bytes to inspect, or
 * a whole WebSocket frame (UTF-8 JSON, too large to parse on the event loop) to decode, and inspect the
 * audio of when it is an `audio_input`.
 */
export type InspectionJob =
  | { id: number; kind: 'payload'; audio_data: string; audio_format?: string | undefined }
  | { id: number; kind: 'bytes'; bytes: Uint8Array<ArrayBuffer>; declared_format?: string | undefined }
  | { id: number; kind: 'frame'; bytes: Uint8Array<ArrayBuffer> };

export type TransferableAudio = Omit<DecodedAudio, 'bytes'> & { bytes: Uint8Array<ArrayBuffer> };

/**
 * A worker's answer: the inspected audio (its bytes transferred, not copied) and, for a frame, the message
 * it held (an `audio_input`'s `audio_data` emptied: the audio is here); or the contract error.
 */
export type InspectionAnswer =
  | { id: number; ok: true; audio?: TransferableAudio; message?: ClientMessage }
  | {
      id: number;
      ok: false;
      error: { code: ErrorCode; message: string; retryable: boolean; details?: Record<string, unknown>; internal?: string };
      /** A frame's `id`, when it could be read, so the error can answer it. */
      reply_to?: string;
    };

/** The first message of a worker, once its modules are loaded. */
export interface WorkerReady {
  ready: true;
  /** The worker's thread id on Linux, so the pool can read the CPU time it uses. */
  thread_id?: number;
}
