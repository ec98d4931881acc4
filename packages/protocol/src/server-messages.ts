import { z } from 'zod';
import { errorCodeList, type ErrorCode } from './error-codes.js';
import { endReasonSchema, interviewStatusSchema } from './interview-schemas.js';
import { capabilitiesSchema, voiceServerDataSchemas } from './voice-messages.js';
import { timestampNow } from './timestamps.js';

export const PROTOCOL_VERSION = 1;

export const latencySchema = z.object({
  stt: z.number().optional(),
  ai: z.number(),
  total: z.number(),
  /** Voice turns: silence detected to transcript ready, and end of the candidate's speech to the first reply audio. */
  end_of_speech: z.number().optional(),
  first_audio: z.number().optional(),
});

export const connectedDataSchema = z.object({
  session_id: z.string(),
  resumed: z.boolean(),
  protocol: z.literal(PROTOCOL_VERSION),
  heartbeat_interval_ms: z.number().int(),
  max_message_bytes: z.number().int(),
  last_seq: z.number().int(),
  interview: interviewStatusSchema,
  session_token: z.string().optional(),
  capabilities: capabilitiesSchema.optional(),
});

export const statusDataSchema = z.object({
  state: z.enum(['transcribing', 'thinking', 'queued', 'idle']),
  detail: z.string().optional(),
});

export const transcriptionDataSchema = z.object({
  text: z.string(),
  audio_format: z.string(),
  duration_ms: z.number().optional(),
  language: z.string().optional(),
});

export const aiResponseDeltaDataSchema = z.object({
  turn: z.number().int(),
  delta: z.string(),
});

export const aiResponseDataSchema = z.object({
  ai_response: z.string(),
  turn: z.number().int(),
  interview: interviewStatusSchema.required({ stage: true, question_number: true, total_questions: true }),
  follow_up: z.boolean(),
  cancelled: z.boolean().optional(),
  latency_ms: latencySchema,
});

export const interviewEndedDataSchema = z.object({
  reason: endReasonSchema,
  report_url: z.string(),
});

export const noticeDataSchema = z.object({
  message: z.string(),
  from: z.enum(['admin', 'system']),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const errorDataSchema = z.object({
  code: z.enum(errorCodeList as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  retryable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const pongDataSchema = z.object({
  server_time: z.string(),
  client_time: z.union([z.number(), z.string()]).optional(),
});

/** Data schema of each server message type (docs/protocol.md §4). */
export const serverDataSchemas = {
  connected: connectedDataSchema,
  status: statusDataSchema,
  transcription: transcriptionDataSchema,
  ai_response_delta: aiResponseDeltaDataSchema,
  ai_response: aiResponseDataSchema,
  interview_ended: interviewEndedDataSchema,
  notice: noticeDataSchema,
  error: errorDataSchema,
  pong: pongDataSchema,
  ...voiceServerDataSchemas,
} as const;

export type ServerMessageType = keyof typeof serverDataSchemas;
export type ServerData<K extends ServerMessageType> = z.infer<(typeof serverDataSchemas)[K]>;

/** Types that are stored, numbered with `seq`, and replayed on resume. */
export const durableMessageTypes = ['transcription', 'ai_response', 'notice', 'interview_ended'] as const;
export type DurableMessageType = (typeof durableMessageTypes)[number];

export function isDurableType(type: string): type is DurableMessageType {
  return (durableMessageTypes as readonly string[]).includes(type);
}

export type ServerMessage = {
  [K in ServerMessageType]: {
    type: K;
    session_id: string;
    seq?: number;
    reply_to?: string;
    timestamp: string;
    data: ServerData<K>;
  };
}[ServerMessageType];

export type DurableMessage = Extract<ServerMessage, { type: DurableMessageType }> & { seq: number };

export type ConnectedData = ServerData<'connected'>;
export type AiResponseData = ServerData<'ai_response'>;
export type ErrorData = ServerData<'error'>;

/** Builds a server message with the envelope fields every message carries. */
export function serverMessage<K extends ServerMessageType>(
  type: K,
  sessionId: string,
  data: ServerData<K>,
  extra: { seq?: number; reply_to?: string | undefined; timestamp?: string } = {},
): Extract<ServerMessage, { type: K }> {
  const message: Record<string, unknown> = {
    type,
    session_id: sessionId,
    timestamp: extra.timestamp ?? timestampNow(),
    data,
  };
  if (extra.seq !== undefined) message.seq = extra.seq;
  if (extra.reply_to !== undefined) message.reply_to = extra.reply_to;
  return message as Extract<ServerMessage, { type: K }>;
}

/** A server message of any type as a client parses it (for the SDK and tests). */
export const serverMessageSchema = z.discriminatedUnion(
  'type',
  Object.entries(serverDataSchemas).map(([type, data]) =>
    z.object({
      type: z.literal(type),
      session_id: z.string(),
      seq: z.number().int().optional(),
      reply_to: z.string().optional(),
      timestamp: z.string(),
      data,
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);
