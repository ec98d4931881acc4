/** What `sendAudio` accepts: raw bytes, a Blob (MediaRecorder's output), or base64 / a data URL. */
export type AudioSource = Blob | ArrayBuffer | ArrayBufferView | string;

export interface AudioPayload {
  /** Base64, or a data URL passed through as given (the server reads both). */
  audio_data: string;
  /** A format read from the Blob's or data URL's MIME type, as a hint: the server sniffs the bytes. */
  format_hint: string | undefined;
}

/**
 * Bytes per btoa() call: a multiple of 3 so that the pieces' base64 concatenates without padding in the
 * middle, and small enough that String.fromCharCode(...piece) stays far from the engine's argument limit.
 */
const CHUNK_BYTES = 3 * 8_192;

const FORMAT_BY_MIME_SUBTYPE: Readonly<Record<string, string>> = {
  webm: 'webm',
  ogg: 'ogg',
  opus: 'ogg',
  wav: 'wav',
  wave: 'wav',
  'x-wav': 'wav',
  vnd_wave: 'wav',
  mpeg: 'mp3',
  mp3: 'mp3',
  mp4: 'mp4',
  m4a: 'm4a',
  'x-m4a': 'm4a',
  aac: 'm4a',
  flac: 'flac',
  'x-flac': 'flac',
};

/** Turns audio into the `audio_data` of an `audio_input` message, in browsers and Node alike (no Buffer). */
export async function toAudioPayload(audio: AudioSource): Promise<AudioPayload> {
  if (typeof audio === 'string') {
    const dataUrl = /^data:([^;,]*)/i.exec(audio);
    return { audio_data: audio, format_hint: dataUrl ? formatFromMimeType(dataUrl[1] ?? '') : undefined };
  }
  if (typeof Blob !== 'undefined' && audio instanceof Blob) {
    const bytes = new Uint8Array(await audio.arrayBuffer());
    return { audio_data: bytesToBase64(bytes), format_hint: formatFromMimeType(audio.type) };
  }
  if (ArrayBuffer.isView(audio)) {
    return { audio_data: bytesToBase64(new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength)), format_hint: undefined };
  }
  if (isArrayBuffer(audio)) return { audio_data: bytesToBase64(new Uint8Array(audio)), format_hint: undefined };
  throw new TypeError('audio must be a Blob, an ArrayBuffer, a Uint8Array (or other typed array), base64 or a data URL');
}

/** Base64 of `bytes`, piece by piece so that megabytes never go through one giant call. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
    const piece = bytes.subarray(offset, offset + CHUNK_BYTES);
    parts.push(btoa(String.fromCharCode(...piece)));
  }
  return parts.join('');
}

/** `audio/webm;codecs=opus` → `webm`; undefined for types the contract does not name. */
export function formatFromMimeType(mimeType: string): string | undefined {
  const match = /^(?:audio|video)\/([a-z0-9.+_-]+)/i.exec(mimeType.trim());
  if (!match?.[1]) return undefined;
  return FORMAT_BY_MIME_SUBTYPE[match[1].toLowerCase()];
}

// instanceof fails for an ArrayBuffer made in another realm (an iframe, a worker's transfer)
function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}
