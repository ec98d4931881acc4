import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The server's configuration: one schema, read once from the environment (and a `.env` file), validated,
 * frozen. Nothing else in the code reads process.env. A bad value stops the server at start with a
 * message that names the variable (docs/protocol.md §8).
 */

const integer = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

export const configSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: integer(8000).pipe(z.number().max(65_535)),
  DATABASE_URL: z.string().default('./data/viva.db'),
  REDIS_URL: optionalText,
  /**
   * Prepended to every Redis key and pub/sub channel of this deployment, so deployments (or test runs)
   * sharing one Redis never see each other's nodes, sessions or leases. @default 'viva:'
   */
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'letters, digits and _ : . - only').default('viva:'),
  /** Connections each node keeps to PostgreSQL (DATABASE_URL=postgres://…). @default 10 */
  PG_POOL_SIZE: integer(10, 1),
  /**
   * Cluster mode: how long a node's claim on a session (the right to process its inputs) lasts without
   * renewal, milliseconds. It is renewed while the turn runs; it bounds how long a crashed node blocks
   * its sessions. @default 10000
   */
  LEASE_TTL_MS: integer(10_000, 500),
  /**
   * Cluster mode: how long an input waits for a session claimed by another node before it fails with the
   * retryable BUSY, milliseconds. Longer than LEASE_TTL_MS, so a crashed node's claim always runs out
   * within the wait. @default 15000
   */
  LEASE_WAIT_MS: integer(15_000, 0),
  /**
   * Cluster mode: how often a node refreshes its presence in Redis, milliseconds; a node not heard from
   * for three intervals is taken for dead and its connections are no longer listed. @default 3000
   */
  NODE_HEARTBEAT_MS: integer(3_000, 100),
  NODE_ID: optionalText,
  ADMIN_TOKEN: optionalText,
  AUTH_MODE: z.enum(['open', 'token']).default('open'),
  /** What a candidate sees of their report without the admin token (docs/protocol.md §10). @default 'summary' */
  CANDIDATE_REPORT: z.enum(['summary', 'full', 'none']).default('summary'),
  API_KEYS: list,
  SESSION_TOKEN_SECRET: optionalText,
  /** Lifetime of a session token, seconds. @default 86400 */
  SESSION_TOKEN_TTL_S: integer(86_400, 60),
  ALLOWED_ORIGINS: list,
  CORS_ORIGINS: list,
  LLM_PROVIDER: z.enum(['builtin', 'openai']).default('builtin'),
  LLM_BASE_URL: optionalText,
  LLM_API_KEY: optionalText,
  LLM_MODEL: optionalText,
  STT_PROVIDER: z.enum(['none', 'openai']).default('none'),
  STT_BASE_URL: optionalText,
  STT_API_KEY: optionalText,
  STT_MODEL: optionalText,
  /**
   * The interviewer's voice (docs/protocol.md §9): `builtin` (eSpeak NG, offline, en and zh; an optional GPL
   * part), `openai` (any /v1/audio/speech endpoint) or `none` (replies in text only). @default 'builtin'
   */
  TTS_PROVIDER: z.enum(['builtin', 'openai', 'none']).default('builtin'),
  TTS_BASE_URL: optionalText,
  TTS_API_KEY: optionalText,
  /** TTS_PROVIDER=openai. @default 'tts-1' */
  TTS_MODEL: optionalText,
  /** TTS_PROVIDER=openai: the default voice. @default 'alloy' */
  TTS_VOICE: optionalText,
  /** Per model call, milliseconds. @default 60000 */
  AI_TIMEOUT_MS: integer(60_000, 100),
  /** Per transcription call, milliseconds. @default 60000 */
  STT_TIMEOUT_MS: integer(60_000, 100),
  /**
   * LLM_PROVIDER=openai: how much of the model's context one call may fill, in approximate tokens
   * (characters / 4; a CJK character counts 1). Long interviews keep the plan, a running summary and the
   * most recent turns that fit. @default 6000
   */
  LLM_CONTEXT_TOKENS: integer(6_000, 1_000),
  /**
   * LLM_PROVIDER=openai: how long the model may take, over all its attempts (for a reply: until its first
   * words), before the built-in engine takes the call, milliseconds. Keep it below AI_TIMEOUT_MS so a hung
   * model is replaced before the turn times out. @default three quarters of AI_TIMEOUT_MS
   */
  LLM_FALLBACK_AFTER_MS: z.coerce.number().int().min(100).optional(),
  /** LLM_PROVIDER=openai: sampling temperature sent with each call; unset sends none (the server's default). */
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).optional(),
  /**
   * STT_PROVIDER=openai: the audio formats the endpoint accepts, comma-separated (a whisper.cpp server
   * without --convert takes `wav` only); other formats get UNSUPPORTED_AUDIO_FORMAT naming these.
   * @default every format
   */
  STT_FORMATS: list.pipe(z.array(z.enum(['wav', 'mp3', 'm4a', 'mp4', 'webm', 'ogg', 'flac']))),
  MAX_AUDIO_BYTES: integer(26_214_400, 1),
  /**
   * Bytes of audio one client address may send per minute, over all its connections and HTTP uploads (a
   * bucket refilled evenly over the minute, full at first). Past it, audio is refused with RATE_LIMITED
   * and `retry_after_ms` before anything is decoded. @default 67108864 (64 MiB), and never below
   * MAX_AUDIO_BYTES
   */
  AUDIO_BYTES_PER_IP_PER_MINUTE: integer(64 * 1024 * 1024, 1),
  /**
   * Audio inspections one client address may have waiting or running at once; more are refused with
   * RATE_LIMITED, so one address cannot fill the inspection queue for everyone. @default 4
   */
  AUDIO_INSPECTIONS_PER_IP: integer(4, 1),
  /**
   * Linux: the nice value of the audio inspection threads, so that when cores are short the event loop
   * (which answers every candidate) goes first. 0 runs them at the process's priority; on a machine shared
   * with other busy processes a high value slows inspection down. @default 10
   */
  AUDIO_INSPECTION_NICENESS: integer(10, 0).pipe(z.number().max(19)),
  /** Worker threads that inspect uploaded audio off the event loop. @default 2 */
  AUDIO_INSPECTION_WORKERS: integer(2, 1),
  /**
   * Time one upload's inspection (decoding, format, structure, duration, silence) may take before it is
   * stopped and answered AUDIO_DECODE_ERROR, milliseconds. Real 25 MiB recordings need well under a second.
   * On Linux it counts the worker thread's CPU time (the threads run at a lower priority than the event
   * loop, and may wait for a core on a busy machine), up to four times as long on the clock. @default 5000
   */
  AUDIO_INSPECTION_TIMEOUT_MS: integer(5_000, 50),
  /** Largest WebSocket message, bytes; by default twice the largest audio as base64, plus the envelope. */
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).optional(),
  /**
   * Memory all connections together may hold in WebSocket messages begun and not yet ended, bytes; the
   * connection whose message would pass it is closed with 1011 (reconnect and resend). Each connection
   * is also bounded by MAX_MESSAGE_BYTES. @default 268435456 (256 MiB), and never below MAX_MESSAGE_BYTES
   */
  MAX_INBOUND_PENDING_BYTES: integer(256 * 1024 * 1024, 1024),
  /**
   * A WebSocket message of more than 64 KiB must arrive whole within this once begun, milliseconds, or
   * the connection is closed with 1008 (an upload left unfinished holds its fragments). @default 60000
   */
  MESSAGE_RECEIVE_TIMEOUT_MS: integer(60_000, 100),
  HEARTBEAT_INTERVAL_MS: integer(25_000, 50),
  MAX_QUEUED_INPUTS: integer(3, 0),
  /** Send buffer of one connection past which it is closed with 4002, bytes. @default 4194304 */
  MAX_BUFFERED_BYTES: integer(4 * 1024 * 1024, 1024),
  /** Messages per second one connection may send before RATE_LIMITED. @default 20 */
  RATE_LIMIT_MESSAGES_PER_S: integer(20, 1),
  /**
   * A connection refused with RATE_LIMITED again and again, without a calm second, for this long is
   * flooding and is closed with 1008; a shorter burst only gets the errors, milliseconds. @default 5000
   */
  RATE_LIMIT_FLOOD_MS: integer(5_000, 500),
  MAX_CONNECTIONS_PER_IP: integer(256, 1),
  SESSIONS_PER_IP_PER_MINUTE: integer(300, 1),
  HTTP_RATE_LIMIT_PER_MINUTE: integer(1200, 1),
  /** Close a connection that has sent no message this long after opening (1008), milliseconds. @default 300000 */
  IDLE_CONNECT_TIMEOUT_MS: integer(300_000, 100),
  /** An HTTP request (or WebSocket upgrade) must finish its headers within this, milliseconds. @default 10000 */
  HEADERS_TIMEOUT_MS: integer(10_000, 100),
  /** How long SIGTERM waits for running turns, milliseconds. @default 10000 */
  SHUTDOWN_GRACE_MS: integer(10_000, 0),
  RETENTION_DAYS: z.coerce.number().min(0).default(0),
  PUBLIC_URL: optionalText,
  /** Trust X-Forwarded-For from a balancer in front (then limits count the real client address). */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVE_WEB_APP: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((value) => value === 'true' || value === '1'),
});

export type Config = Readonly<z.infer<typeof configSchema> & { MAX_MESSAGE_BYTES: number }>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Base64 inflates by 4/3; the frame limit is twice the largest audio as base64 (plus 64 KiB for the
 * envelope), so audio somewhat over MAX_AUDIO_BYTES still arrives whole and gets PAYLOAD_TOO_LARGE with
 * the connection open (docs/protocol.md §3), and only a far larger frame is closed with 1009.
 */
function defaultMaxMessageBytes(maxAudioBytes: number): number {
  return 2 * Math.ceil(maxAudioBytes / 3) * 4 + 64 * 1024;
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env, envFile = '.env'): Config {
  const merged = { ...readEnvFile(envFile), ...environment };
  const known = Object.fromEntries(
    Object.keys(configSchema.shape)
      .filter((key) => merged[key] !== undefined)
      .map((key) => [key, merged[key]]),
  );
  const parsed = configSchema.safeParse(known);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration. ${problems.join('; ')}`);
  }
  const value = parsed.data;
  if (value.LLM_PROVIDER === 'openai' && !value.LLM_BASE_URL && !value.LLM_API_KEY) {
    throw new ConfigError('Invalid configuration. LLM_PROVIDER=openai needs LLM_BASE_URL or LLM_API_KEY.');
  }
  if (value.STT_PROVIDER === 'openai' && !value.STT_BASE_URL && !value.STT_API_KEY) {
    throw new ConfigError('Invalid configuration. STT_PROVIDER=openai needs STT_BASE_URL or STT_API_KEY.');
  }
  if (value.TTS_PROVIDER === 'openai' && !value.TTS_BASE_URL && !value.TTS_API_KEY) {
    throw new ConfigError('Invalid configuration. TTS_PROVIDER=openai needs TTS_BASE_URL or TTS_API_KEY.');
  }
  if (value.AUTH_MODE === 'token' && value.API_KEYS.length === 0) {
    throw new ConfigError('Invalid configuration. AUTH_MODE=token needs API_KEYS (comma-separated).');
  }
  return Object.freeze({
    ...value,
    MAX_MESSAGE_BYTES: value.MAX_MESSAGE_BYTES ?? defaultMaxMessageBytes(value.MAX_AUDIO_BYTES),
    // a budget below the largest upload would refuse that upload for ever
    AUDIO_BYTES_PER_IP_PER_MINUTE: Math.max(value.AUDIO_BYTES_PER_IP_PER_MINUTE, value.MAX_AUDIO_BYTES),
  });
}

/** Reads KEY=VALUE lines; a missing file is fine. Values already in the environment win. */
function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  const entries: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const [, key, raw = ''] = match;
    if (key === undefined) continue;
    entries[key] = raw.replace(/^(['"])(.*)\1$/, '$2');
  }
  return entries;
}
