import type { ErrorCode } from '@viva/protocol/error-codes.js';
import type { DecodedAudio } from './audio-decoder.js';

/** What the pool asks of an inspection worker: base64 text to decode and inspect, or raw bytes to inspect. */
export type InspectionJob =
  | { id: number; kind: 'payload'; audio_data: string; audio_format?: string | undefined }
  | { id: number; kind: 'bytes'; bytes: Uint8Array<ArrayBuffer>; declared_format?: string | undefined };

/** A worker's answer: the inspected audio (its bytes transferred, not copied), or the contract error. */
export type InspectionAnswer =
  | { id: number; ok: true; audio: Omit<DecodedAudio, 'bytes'> & { bytes: Uint8Array<ArrayBuffer> } }
  | {
      id: number;
      ok: false;
      error: { code: ErrorCode; message: string; retryable: boolean; details?: Record<string, unknown>; internal?: string };
    };

/** The first message of a worker, once its modules are loaded. */
export interface WorkerReady {
  ready: true;
}
