import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export interface LoggerOptions {
  name?: string;
  /** Secret values (admin token, API keys) that must never appear in a line, wherever they come from. */
  secrets?: ReadonlyArray<string | undefined>;
  /** Where lines go; stdout by default (tests capture them). */
  destination?: DestinationStream;
}

const REDACTED = '[redacted]';

/** Credentials by their shape: in a query string, a bearer header, or a session token itself. */
const SECRET_SHAPES: ReadonlyArray<[RegExp, string]> = [
  // ?token=…, &api_key=…: up to the next separator, including the JSON quote that ends a logged URL
  [/([?&;](?:token|session_token|access_token|api_key|apikey|key|secret)=)[^&;#\s"\\]*/gi, `$1${REDACTED}`],
  [/\b(bearer\s+)[^\s"\\,]+/gi, `$1${REDACTED}`],
  // SessionTokens: v1.<expiry>.<HMAC-SHA256 as base64url>
  [/\bv1\.\d{6,}\.[A-Za-z0-9_-]{20,}/g, REDACTED],
];

/** `text` with every credential replaced: by shape, and each of `secrets` (8 characters or more) literally. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_SHAPES) result = result.replace(pattern, replacement);
  for (const secret of secrets) result = result.replaceAll(secret, REDACTED);
  return result;
}

/**
 * The process logger. Fields that could hold secrets are redacted by path, and then every serialized
 * line is scrubbed of credentials by shape and by value (pino's streamWrite hook), so a token never
 * reaches a log line even inside a URL, an error message or a stack.
 */
export function createLogger(level: LevelWithSilent, options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((secret): secret is string => secret !== undefined && secret.length >= 8);
  const settings: pino.LoggerOptions = {
    name: options.name ?? 'viva',
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'req.headers["x-session-token"]',
        'headers.authorization',
        'headers["x-api-key"]',
        'headers["x-session-token"]',
        '*.token',
        '*.session_token',
        '*.api_key',
        '*.apiKey',
        'ADMIN_TOKEN',
        'LLM_API_KEY',
        'STT_API_KEY',
        'SESSION_TOKEN_SECRET',
        'API_KEYS',
        'config.ADMIN_TOKEN',
        'config.LLM_API_KEY',
        'config.STT_API_KEY',
        'config.SESSION_TOKEN_SECRET',
        'config.API_KEYS',
      ],
      censor: REDACTED,
    },
    hooks: { streamWrite: (line) => redactSecrets(line, secrets) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export type { Logger };
