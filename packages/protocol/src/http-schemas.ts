import { z } from 'zod';
import { answerTextSchema, contextSchema, inputIdSchema, speechLanguageSchema } from './client-messages.js';
import { candidateSchema, interviewSettingsSchema, interviewStateSchema } from './interview-schemas.js';

/** Bodies and parameters of the HTTP API (docs/protocol.md §7); the OpenAPI document is generated from these. */

export const sessionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'session_id must match ^[A-Za-z0-9_-]{1,128}$');

export const sessionParamsSchema = z.object({ id: sessionIdSchema });

export const templateIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'template_id must match ^[A-Za-z0-9_-]{1,64}$');

/** The secret of an invite link (`/?invite=KEY`). */
export const inviteKeySchema = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'invite must be the key of an invite link');

export const startInterviewBodySchema = z
  .object({
    session_id: sessionIdSchema.optional(),
    candidate: candidateSchema.optional(),
    interview: interviewSettingsSchema.optional(),
    /** Start from a template (docs/protocol.md §10): its settings apply, the candidate adds only `candidate`. */
    template_id: templateIdSchema.optional(),
    /** A template's invite key; in token auth mode it stands in for an API key. */
    invite: inviteKeySchema.optional(),
  })
  .default({});

const focusSchema = z.array(z.string().trim().min(1).max(100)).max(20);

export const createTemplateBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  interview: interviewSettingsSchema.omit({ resume_text: true }),
  focus: focusSchema.optional(),
});

export const patchTemplateBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    interview: interviewSettingsSchema.omit({ resume_text: true }).optional(),
    focus: focusSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of name, interview, focus');

export const templateParamsSchema = z.object({ template_id: templateIdSchema });
export const inviteParamsSchema = z.object({ invite: inviteKeySchema });

/** An ISO 8601 date (`2026-12-04`, a whole UTC day) or date-time with a zone. */
const isoDateSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const listInterviewsQuerySchema = z.object({
  state: interviewStateSchema.optional(),
  template_id: templateIdSchema.optional(),
  q: z.string().trim().max(200).optional(),
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(400).optional(),
});
export type ListInterviewsQuery = z.infer<typeof listInterviewsQuerySchema>;

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
