import {
  clientDataSchemas,
  clientEnvelopeSchema,
  inputIdSchema,
  isClientMessageType,
  type ClientMessage,
} from '@viva/protocol/client-messages.js';
import { MAX_JSON_DEPTH, jsonTextTooDeep } from '@viva/protocol/json-nesting.js';
import { AUDIO_BASE64_PATTERN } from '@viva/protocol/voice-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { invalidMessage } from './error-mapping.js';

export type DecodeResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; error: VivaError; replyTo: string | undefined };

/**
 * Turns one text frame into a typed client message, or into the contract error that explains what is
 * wrong with it. Never throws: a bad frame must not reach code that could close the connection.
 */
export function decodeClientMessage(frame: string): DecodeResult {
  const compactAudio = compactAudioAppend(frame);
  if (compactAudio !== undefined) return { ok: true, message: { type: 'audio_append', id: undefined, data: { audio: compactAudio } } };
  // before JSON.parse: parsing a frame of a million brackets already stalls the loop, and what comes
  // after it (zod, JSON.stringify) recurses
  if (jsonTextTooDeep(frame)) return { ok: false, error: tooDeep(), replyTo: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    return { ok: false, error: new VivaError('INVALID_JSON'), replyTo: undefined };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      error: new VivaError('INVALID_MESSAGE', 'A message must be a JSON object with a "type" field.', { details: { field: null } }),
      replyTo: undefined,
    };
  }
  const audio = plainAudioAppend(parsed);
  if (audio !== undefined) return { ok: true, message: { type: 'audio_append', id: undefined, data: { audio } } };
  const replyTo = readableId(parsed);
  const envelope = clientEnvelopeSchema.safeParse(parsed);
  if (!envelope.success) return { ok: false, error: invalidMessage(envelope.error), replyTo };
  const { type, id, data } = envelope.data;
  if (!isClientMessageType(type)) {
    return {
      ok: false,
      error: new VivaError('UNKNOWN_TYPE', `Unknown message type "${type.slice(0, 64)}".`, {
        details: { type: type.slice(0, 64), known_types: Object.keys(clientDataSchemas) },
      }),
      replyTo,
    };
  }
  const dataResult = clientDataSchemas[type].safeParse(data ?? {});
  if (!dataResult.success) return { ok: false, error: invalidMessage(dataResult.error, ['data']), replyTo };
  return { ok: true, message: { type, id, data: dataResult.data } as ClientMessage };
}

export function tooDeep(): VivaError {
  return new VivaError('INVALID_MESSAGE', `JSON nests arrays and objects more than ${MAX_JSON_DEPTH} deep. Send flatter data.`, {
    details: { field: null, max_depth: MAX_JSON_DEPTH },
  });
}

/**
 * The audio of a well-formed `audio_append` without an id, checked as its schema would check it, or
 * undefined for anything else (which the schemas then judge). A live voice sends 50 of these a second per
 * candidate, and zod costs ten times what the rest of decoding one does.
 */
function plainAudioAppend(value: object): string | undefined {
  const message = value as { type?: unknown; id?: unknown; data?: unknown };
  if (message.type !== 'audio_append' || message.id !== undefined) return undefined;
  const data = message.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const audio: unknown = (data as { audio?: unknown }).audio;
  return typeof audio === 'string' && AUDIO_BASE64_PATTERN.test(audio) ? audio : undefined;
}

const COMPACT_APPEND_HEAD = '{"type":"audio_append","data":{"audio":"';
const COMPACT_APPEND_TAIL = '"}}';

/**
 * The audio of an `audio_append` frame laid out exactly as `JSON.stringify({ type, data: { audio } })`
 * writes it (the SDK, the web app), or undefined for any other text. Base64 holds no quote and no
 * backslash, so such a frame parses to that object and nothing else; reading it without the depth scan and
 * JSON.parse halves the cost of the most frequent frame of a live voice.
 */
function compactAudioAppend(frame: string): string | undefined {
  // in a shorter text the head and the tail overlap (`{…"audio":"}}` is not JSON)
  if (frame.length < COMPACT_APPEND_HEAD.length + COMPACT_APPEND_TAIL.length) return undefined;
  if (!frame.startsWith(COMPACT_APPEND_HEAD) || !frame.endsWith(COMPACT_APPEND_TAIL)) return undefined;
  const audio = frame.slice(COMPACT_APPEND_HEAD.length, frame.length - COMPACT_APPEND_TAIL.length);
  return AUDIO_BASE64_PATTERN.test(audio) ? audio : undefined;
}

/** The message's `id`, if it is a valid one, so even a rejected message can be answered with reply_to. */
function readableId(value: object): string | undefined {
  const id: unknown = (value as { id?: unknown }).id;
  const result = inputIdSchema.safeParse(id);
  return result.success ? result.data : undefined;
}
