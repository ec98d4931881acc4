import { z } from 'zod';
import { answerTextSchema, contextSchema, inputIdSchema, speechLanguageSchema } from './client-messages.js';
import { candidateSchema, interviewSettingsSchema } from './interview-schemas.js';

/** Bodies and parameters of the HTTP API (docs/protocol.md §7); the OpenAPI document is generated from these. */

export const sessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'session_id must match ^[A-Za-z0-9_-]{1,128}$');

export const sessionParamsSchema = z.object({ id: sessionIdSchema });

export const startInterviewBodySchema = z
  .object({
    session_id: sessionIdSchema.optional(),
    candidate: candidateSchema.optional(),
    interview: interviewSettingsSchema.optional(),
  })
  .default({});

export const processTextBodySchema = z.object({
  text: answerTextSchema,
  context: contextSchema.optional(),
  id: inputIdSchema.optional(),
});

export const processAudioJsonBodySchema = z.object({
  audio_data: z.string(),
  audio_format: z.string().max(32).optional(),
  language: speechLanguageSchema.optional(),
  id: inputIdSchema.optional(),
});

export const endInterviewBodySchema = z
  .object({ reason: z.string().max(500).optional() })
  .nullish()
  .transform((value) => value ?? {});

/** Longest admin notice, characters (after trimming). */
export const MAX_NOTICE_CHARACTERS = 2_000;

export const noticeBodySchema = z.object({
  message: z
    .string()
    .trim()
    .min(1)
    .max(MAX_NOTICE_CHARACTERS)
    .describe(`The notice shown to the candidate: 1 to ${MAX_NOTICE_CHARACTERS} characters after trimming (longer: 400 INVALID_MESSAGE).`),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** One exchange of a session's transcript, as GET /interview/{id} and the management API show it. */
export const transcriptTurnSchema = z.object({
  turn: z.number().int(),
  candidate: z.string().nullable(),
  input_kind: z.enum(['start', 'text', 'audio']),
  interviewer: z.string(),
  follow_up: z.boolean(),
  cancelled: z.boolean(),
  /** A spoken reply the candidate cut short (barge-in): what they heard of it. */
  heard_text: z.string().optional(),
  interrupted: z.boolean().optional(),
  at: z.string(),
});
export type TranscriptTurn = z.infer<typeof transcriptTurnSchema>;

export const listSessionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
