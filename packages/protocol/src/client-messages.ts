import { z } from 'zod';
import { candidateSchema, interviewSettingsSchema } from './interview-schemas.js';
import { MAX_JSON_DEPTH, jsonValueTooDeep } from './json-nesting.js';
import { voiceClientDataSchemas } from './voice-messages.js';

/** Largest `context` object accepted with an input, measured as JSON. */
export const MAX_CONTEXT_BYTES = 8 * 1024;
export const MAX_TEXT_CHARACTERS = 10_000;
export const MAX_INPUT_ID_CHARACTERS = 64;

export const audioFormatSchema = z.enum(['wav', 'mp3', 'm4a', 'mp4', 'webm', 'ogg', 'flac']);
export type AudioFormat = z.infer<typeof audioFormatSchema>;

const utf8 = new TextEncoder();

// TextEncoder rather than Buffer: these schemas are shared with the browser app and the SDK. The depth
// check comes first and aborts: JSON.stringify recurses, and a value nested thousands deep overflows it.
export const contextSchema = z
  .record(z.string(), z.unknown())
  .refine((value) => !jsonValueTooDeep(value, MAX_JSON_DEPTH - 3), {
    message: `context must nest at most ${MAX_JSON_DEPTH - 3} arrays or objects deep`,
    abort: true,
  })
  .refine((value) => utf8.encode(JSON.stringify(value)).length <= MAX_CONTEXT_BYTES, {
    message: `context must be at most ${MAX_CONTEXT_BYTES} bytes as JSON`,
  });

export const answerTextSchema = z
  .string()
  .trim()
  .min(1, 'text must not be empty')
  .max(MAX_TEXT_CHARACTERS, `text must be at most ${MAX_TEXT_CHARACTERS} characters`);

/** A language tag for speech recognition, such as `en`, `zh` or `en-US`. */
export const speechLanguageSchema = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'language must be a language tag such as en or zh');

export const inputIdSchema = z.string().min(1).max(MAX_INPUT_ID_CHARACTERS);

/**
 * The envelope of every client message. `session_id` is accepted and ignored (the connection's session is
 * authoritative); `data` is checked per type below.
 */
export const clientEnvelopeSchema = z.object({
  type: z.string().min(1),
  id: inputIdSchema.optional(),
  session_id: z.unknown().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const connectDataSchema = z.object({
  resume_from: z.number().int().min(0).optional(),
  candidate: candidateSchema.optional(),
  interview: interviewSettingsSchema.optional(),
});

export const textInputDataSchema = z.object({
  text: answerTextSchema,
  context: contextSchema.optional(),
});

/**
 * `audio_format` is a hint: the bytes decide (docs/protocol.md §3), so any short label is accepted and an
 * unknown one is simply overruled.
 */
export const audioInputDataSchema = z.object({
  audio_data: z.string(),
  audio_format: z.string().max(32).optional(),
  language: speechLanguageSchema.optional(),
  context: contextSchema.optional(),
});

export const pingDataSchema = z.object({
  client_time: z.union([z.number(), z.string().max(100)]).optional(),
});

export const reasonDataSchema = z.object({
  reason: z.string().max(500).optional(),
});

export const cancelDataSchema = z.object({});

/** Data schema of each client message type (docs/protocol.md §3). */
export const clientDataSchemas = {
  connect: connectDataSchema,
  text_input: textInputDataSchema,
  audio_input: audioInputDataSchema,
  ping: pingDataSchema,
  disconnect: reasonDataSchema,
  end_interview: reasonDataSchema,
  cancel: cancelDataSchema,
  ...voiceClientDataSchemas,
} as const;

export type ClientMessageType = keyof typeof clientDataSchemas;

export type ClientMessage = {
  [K in ClientMessageType]: { type: K; id?: string | undefined; data: z.infer<(typeof clientDataSchemas)[K]> };
}[ClientMessageType];

export type ConnectData = z.infer<typeof connectDataSchema>;
export type TextInputData = z.infer<typeof textInputDataSchema>;
export type AudioInputData = z.infer<typeof audioInputDataSchema>;

export function isClientMessageType(type: string): type is ClientMessageType {
  return Object.hasOwn(clientDataSchemas, type);
}
