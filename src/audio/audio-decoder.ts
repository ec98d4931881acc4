import { fileTypeFromBuffer } from 'file-type';
import { parseBuffer } from 'music-metadata';
import type { AudioFormat } from '@viva/protocol/client-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import {
  audioFormatDetails,
  findContainerProblem,
  formatForDetectedType,
  normalizeDeclaredFormat,
  readWavLayout,
  wavDurationMs,
} from './audio-formats.js';
import { isSilent } from './silence-detector.js';

/** Audio that passed the edge checks, ready for a speech recognizer. */
export interface DecodedAudio {
  bytes: Buffer;
  /** The format sniffed from the bytes; a client's declaration never overrules it. */
  format: AudioFormat;
  mime_type: string;
  /** `audio.<ext>` matching `format`; transcription endpoints pick their decoder by it. */
  file_name: string;
  /** What the client said (its `audio_format`, or the data URL's media type), kept for logging. */
  declared_format?: string;
  /** Milliseconds, when the container says; live recordings (MediaRecorder webm) often do not. */
  duration_ms?: number;
  /** Whether a WAV recording is (near) silence; absent for other formats and for a `sniff` inspection. */
  silent?: boolean;
}

/**
 * How far audio is inspected. `sniff`: size, base64 and the format from the magic bytes, which is all the
 * contract asks before a server with no recognizer answers STT_UNAVAILABLE. `full`: also the structural
 * checks, the container's metadata (duration, video track) and silence, for a recognizer to use.
 */
export type InspectionDepth = 'sniff' | 'full';

export interface AudioLimits {
  /** Largest decoded audio accepted, in bytes (MAX_AUDIO_BYTES). */
  maxAudioBytes: number;
  /** @default 'full' */
  depth?: InspectionDepth;
}

/**
 * Decodes the `audio_data` of an `audio_input` message or a JSON audio upload: plain base64 (standard or
 * URL-safe alphabet, whitespace allowed) or a base64 data URL such as `data:audio/webm;codecs=opus;base64,...`.
 * The size limit is checked on the encoded length before anything is decoded, and again on the bytes.
 * The server runs this in a worker of AudioInspectionPool, never on the event loop: a crafted container can
 * keep the metadata parser busy for seconds.
 *
 * @throws VivaError AUDIO_DECODE_ERROR (empty or invalid base64, a data URL that is not base64, a recognized
 *   but broken file), UNSUPPORTED_AUDIO_FORMAT (bytes of no accepted format), PAYLOAD_TOO_LARGE.
 */
export async function decodeAudioPayload(
  input: { audio_data: string; audio_format?: string | undefined },
  limits: AudioLimits,
): Promise<DecodedAudio> {
  const { payload, mediaType } = splitDataUrl(input.audio_data);
  const bytes = decodeBase64Strict(payload, limits.maxAudioBytes);
  // an empty audio_format counts as none, so the data URL's media type is kept for logging
  const declared = input.audio_format !== undefined && input.audio_format.trim() !== '' ? input.audio_format : mediaType;
  return inspectAudioBytes(bytes, declared, limits);
}

/**
 * Checks raw audio bytes (a multipart upload, or decoded base64): size, format sniffed from the bytes,
 * structure, and duration where the container records it.
 *
 * @param declaredFormat what the client said the audio is (`webm`, `.webm`, `audio/webm`...); only a hint,
 *   except that it keeps an ISO-BMFF file named `mp4` rather than `m4a`.
 */
export async function inspectAudioBytes(
  bytes: Buffer,
  declaredFormat: string | undefined,
  limits: AudioLimits,
): Promise<DecodedAudio> {
  if (bytes.length > limits.maxAudioBytes) throw payloadTooLarge(limits.maxAudioBytes);
  if (bytes.length === 0) {
    throw new VivaError('AUDIO_DECODE_ERROR', 'The audio is empty. Record again and send the recording.');
  }

  const detected = await sniffFileType(bytes);
  const sniffed = detected === undefined ? undefined : formatForDetectedType(detected.ext);
  if (detected === undefined || sniffed === undefined) {
    throw new VivaError(
      'UNSUPPORTED_AUDIO_FORMAT',
      detected === undefined
        ? 'The data is not audio in a supported format. Send wav, mp3, m4a/mp4, webm, ogg or flac.'
        : `The data is ${detected.ext} (${detected.mime}), not audio in a supported format. Send wav, mp3, m4a/mp4, webm, ogg or flac.`,
      detected === undefined ? {} : { details: { detected_type: detected.ext, detected_mime: detected.mime } },
    );
  }

  const declared = declaredFormat !== undefined && declaredFormat.trim() !== '' ? { declared_format: declaredFormat } : {};
  if (limits.depth === 'sniff') {
    const format = sniffed === 'm4a' && normalizeDeclaredFormat(declaredFormat) === 'mp4' ? 'mp4' : sniffed;
    return { bytes, format, mime_type: audioFormatDetails[format].mimeType, file_name: audioFormatDetails[format].fileName, ...declared };
  }

  const problem = findContainerProblem(sniffed, bytes);
  if (problem !== undefined) {
    throw new VivaError('AUDIO_DECODE_ERROR', `${problem} Record again and send the whole file.`, {
      details: { format: sniffed },
    });
  }

  const metadata = await readMetadata(sniffed, bytes, detected.mime);
  const format = sniffed === 'm4a' && (normalizeDeclaredFormat(declaredFormat) === 'mp4' || metadata.hasVideo) ? 'mp4' : sniffed;
  const details = audioFormatDetails[format];
  const silent = await isSilent({ bytes, format, mime_type: details.mimeType, file_name: details.fileName });
  return {
    bytes,
    format,
    mime_type: details.mimeType,
    file_name: details.fileName,
    ...declared,
    ...(metadata.durationMs !== undefined ? { duration_ms: metadata.durationMs } : {}),
    ...(silent !== undefined ? { silent } : {}),
  };
}

/**
 * Duration and whether there is a video track. A metadata parse failure never rejects audio: the magic
 * bytes and the structural checks already passed, and music-metadata gives up on some valid streams.
 */
async function readMetadata(
  format: AudioFormat,
  bytes: Buffer,
  mimeType: string,
): Promise<{ durationMs: number | undefined; hasVideo: boolean }> {
  // our own reading of the chunks copes with streamed WAV whose header sizes were never filled in
  if (format === 'wav') {
    const layout = readWavLayout(bytes);
    return { durationMs: layout === undefined ? undefined : wavDurationMs(layout), hasVideo: false };
  }
  try {
    // `duration: true` stays cheap in memory: about 0.1 s for a 14 MB Ogg file, which must be read to its end
    const metadata = await parseBuffer(bytes, { mimeType, size: bytes.length }, { duration: true, skipCovers: true });
    const seconds = metadata.format.duration;
    return {
      durationMs: seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : undefined,
      hasVideo: metadata.format.hasVideo === true,
    };
  } catch {
    return { durationMs: undefined, hasVideo: false };
  }
}

/** file-type's answer, or undefined when it gave none or gave up on malformed bytes. */
async function sniffFileType(bytes: Buffer): Promise<{ ext: string; mime: string } | undefined> {
  try {
    return await fileTypeFromBuffer(bytes);
  } catch {
    // it throws on some malformed headers (for instance a tokenizer read past the end); that is not audio
    return undefined;
  }
}

function payloadTooLarge(maxBytes: number): VivaError {
  return new VivaError(
    'PAYLOAD_TOO_LARGE',
    `The audio is larger than the ${maxBytes} bytes this server accepts. Send a shorter recording.`,
    { details: { max_bytes: maxBytes } },
  );
}

function decodeError(message: string): VivaError {
  return new VivaError('AUDIO_DECODE_ERROR', message);
}

/**
 * Splits `data:[<media type>][;param]*;base64,<payload>`; anything not starting with `data:` is the
 * payload itself.
 */
function splitDataUrl(value: string): { payload: string; mediaType: string | undefined } {
  const start = value.trimStart();
  if (start.slice(0, 5).toLowerCase() !== 'data:') return { payload: value, mediaType: undefined };
  const comma = start.indexOf(',');
  if (comma === -1) throw decodeError('The data URL has no comma before its data. Send data:<type>;base64,<base64 audio>.');
  const parameters = start.slice(5, comma).split(';').map((part) => part.trim());
  if (parameters.at(-1)?.toLowerCase() !== 'base64') {
    throw decodeError('The data URL is not base64-encoded. Send data:<type>;base64,<base64 audio>.');
  }
  const mediaType = parameters[0];
  return { payload: start.slice(comma + 1), mediaType: mediaType === undefined || mediaType === '' || mediaType.toLowerCase() === 'base64' ? undefined : mediaType };
}

/**
 * Decodes base64 or base64url, refusing what Buffer.from(x, 'base64') would silently skip: characters
 * outside the alphabet, the two alphabets mixed, padding anywhere but the end, and lengths no encoder
 * produces. Whitespace is allowed anywhere, since MIME encoders wrap lines. The size limit is applied to
 * the length the text implies, before any bytes are decoded.
 */
export function decodeBase64Strict(text: string, maxBytes: number): Buffer {
  const plain = plainBase64(text, maxBytes);
  if (plain !== undefined) return plain;
  let significant = 0;
  let padding = 0;
  let alphabet: 'standard' | 'url-safe' | undefined;
  // a decoded size above the limit is certain once the text has this many alphabet characters
  const maxSignificant = Math.ceil(maxBytes / 3) * 4 + 4;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) continue;
    if (code === 0x3d /* = */) {
      padding += 1;
      continue;
    }
    if (padding > 0) throw decodeError('The audio is not valid base64: padding (=) appears before the end of the data.');
    let kind: typeof alphabet = undefined;
    if (code === 0x2b /* + */ || code === 0x2f /* / */) kind = 'standard';
    else if (code === 0x2d /* - */ || code === 0x5f /* _ */) kind = 'url-safe';
    else if (!isAlphanumeric(code)) {
      throw decodeError(`The audio is not valid base64: character ${index + 1} of the data is not a base64 character.`);
    }
    if (kind !== undefined) {
      if (alphabet !== undefined && alphabet !== kind) {
        throw decodeError('The audio is not valid base64: it mixes the standard and URL-safe alphabets.');
      }
      alphabet = kind;
    }
    significant += 1;
    if (significant > maxSignificant) throw payloadTooLarge(maxBytes);
  }

  if (significant === 0) throw decodeError('The audio data is empty. Send the recording as non-empty base64.');
  if (padding > 2 || significant % 4 === 1 || (padding > 0 && (significant + padding) % 4 !== 0)) {
    throw decodeError('The audio is not valid base64: its length is impossible for base64. It may be cut off.');
  }
  const expectedBytes = Math.floor((significant * 6) / 8);
  if (expectedBytes > maxBytes) throw payloadTooLarge(maxBytes);

  // the text now holds only alphabet characters and whitespace, which Node's decoder skips
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== expectedBytes) {
    throw decodeError('The audio is not valid base64. Send the recording as base64 or a base64 data URL.');
  }
  return bytes;
}

/** One alphabet, no whitespace, padding only at the end: what every recorder's encoder writes. */
const PLAIN_STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const PLAIN_URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * The common case, checked by a regular expression (several times faster than the loop over characters
 * below, which is there for the exact message on what is wrong): the decoded bytes, or undefined to
 * leave the text to that loop.
 */
function plainBase64(text: string, maxBytes: number): Buffer | undefined {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const significant = text.length - padding;
  if (significant === 0 || significant % 4 === 1 || (padding > 0 && text.length % 4 !== 0)) return undefined;
  if (Math.floor((significant * 6) / 8) > maxBytes) return undefined;
  if (!PLAIN_STANDARD.test(text) && !PLAIN_URL_SAFE.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

function isAlphanumeric(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
