import { z } from 'zod';

/**
 * Live voice (docs/protocol.md §9): the client messages that stream the candidate's microphone and the server's
 * live signals about it. None of the server messages here is durable: the durable record of a voice turn is
 * the usual `transcription` and `ai_response`.
 */

export const MIN_VOICE_SAMPLE_RATE = 8_000;
export const MAX_VOICE_SAMPLE_RATE = 48_000;
export const DEFAULT_VOICE_SAMPLE_RATE = 16_000;
/** Output sample rate of `pcm16` replies. */
export const VOICE_OUTPUT_SAMPLE_RATE = 24_000;
export const DEFAULT_SILENCE_MS = 800;
export const MIN_SILENCE_MS = 200;
export const MAX_SILENCE_MS = 5_000;
/** Largest decoded `audio_append` chunk; above it PAYLOAD_TOO_LARGE. */
export const MAX_AUDIO_APPEND_BYTES = 256 * 1024;

export const voiceInputFormatSchema = z.enum(['pcm16']);
export const voiceOutputFormatSchema = z.enum(['pcm16', 'mp3', 'opus']);
export type VoiceOutputFormat = z.infer<typeof voiceOutputFormatSchema>;

export const turnDetectionSchema = z.object({
  type: z.literal('server_vad'),
  silence_ms: z.number().int().min(MIN_SILENCE_MS).max(MAX_SILENCE_MS).default(DEFAULT_SILENCE_MS),
  interrupt_response: z.boolean().default(true),
});
export type TurnDetection = z.infer<typeof turnDetectionSchema>;

export const voiceInputSchema = z.object({
  format: voiceInputFormatSchema.default('pcm16'),
  sample_rate: z.number().int().min(MIN_VOICE_SAMPLE_RATE).max(MAX_VOICE_SAMPLE_RATE).default(DEFAULT_VOICE_SAMPLE_RATE),
  // absent: server VAD with its defaults; null: push-to-talk (the client commits)
  turn_detection: turnDetectionSchema.nullable().default({ type: 'server_vad', silence_ms: DEFAULT_SILENCE_MS, interrupt_response: true }),
});
export type VoiceInput = z.infer<typeof voiceInputSchema>;

export const voiceOutputSchema = z.object({
  voice: z.string().min(1).max(64).optional(),
  format: voiceOutputFormatSchema.default('pcm16'),
});

export const voiceStartDataSchema = z.object({
  input: voiceInputSchema.nullable().optional(),
  output: voiceOutputSchema.nullable().optional(),
});
export type VoiceStartData = z.infer<typeof voiceStartDataSchema>;

/** Base64 as sent by browsers and Node alike; the length check is on the decoded bytes, in the gateway. */
export const AUDIO_BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

export const audioAppendDataSchema = z.object({
  audio: z.string().regex(AUDIO_BASE64_PATTERN, 'audio must be base64 of raw PCM16 samples'),
});

export const playbackTruncateDataSchema = z.object({
  turn: z.number().int().min(1),
  played_ms: z.number().min(0).max(3_600_000),
});

export const emptyVoiceDataSchema = z.object({});

/** Data schemas of the §9 client message types, merged into the client registry. */
export const voiceClientDataSchemas = {
  voice_start: voiceStartDataSchema,
  audio_append: audioAppendDataSchema,
  audio_commit: emptyVoiceDataSchema,
  audio_clear: emptyVoiceDataSchema,
  playback_truncate: playbackTruncateDataSchema,
  voice_stop: emptyVoiceDataSchema,
} as const;
export type VoiceClientMessageType = keyof typeof voiceClientDataSchemas;

export function isVoiceClientMessageType(type: string): type is VoiceClientMessageType {
  return Object.hasOwn(voiceClientDataSchemas, type);
}

/** The settings in force, as `voice_started` and `voice_stopped` say them. */
export const voiceSettingsDataSchema = z.object({
  input: z
    .object({
      format: voiceInputFormatSchema,
      sample_rate: z.number().int(),
      turn_detection: z
        .object({ type: z.literal('server_vad'), silence_ms: z.number().int(), interrupt_response: z.boolean() })
        .nullable(),
    })
    .nullable(),
  output: z
    .object({
      voice: z.string(),
      format: voiceOutputFormatSchema,
      sample_rate: z.number().int().optional(),
    })
    .nullable(),
});
export type VoiceSettingsData = z.infer<typeof voiceSettingsDataSchema>;

export const speechStartedDataSchema = z.object({ audio_start_ms: z.number().int() });
export const speechStoppedDataSchema = z.object({ audio_end_ms: z.number().int() });
export const transcriptionDeltaDataSchema = z.object({ text: z.string(), final: z.literal(false) });
export const aiAudioDeltaDataSchema = z.object({
  turn: z.number().int(),
  audio: z.string(),
  format: voiceOutputFormatSchema,
  sample_rate: z.number().int().optional(),
  text: z.string().optional(),
});
export const aiAudioDoneDataSchema = z.object({ turn: z.number().int(), duration_ms: z.number().int() });

export const voiceServerDataSchemas = {
  voice_started: voiceSettingsDataSchema,
  voice_stopped: voiceSettingsDataSchema,
  speech_started: speechStartedDataSchema,
  speech_stopped: speechStoppedDataSchema,
  transcription_delta: transcriptionDeltaDataSchema,
  ai_audio_delta: aiAudioDeltaDataSchema,
  ai_audio_done: aiAudioDoneDataSchema,
} as const;

/** `connected.data.capabilities` (docs/protocol.md §4). */
export const capabilitiesSchema = z.object({
  speech_input: z.boolean(),
  speech_output: z.boolean(),
  voice_input_formats: z.array(voiceInputFormatSchema),
  voices: z.array(z.string()),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;
