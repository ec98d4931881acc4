import { pino, type Logger, type LevelWithSilent } from 'pino';

/**
 * The process logger. Fields that could hold secrets are redacted wherever they appear, so a token never
 * reaches a log line even when a request or config object is logged whole.
 */
export function createLogger(level: LevelWithSilent, name = 'viva'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        '*.token',
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
      censor: '[redacted]',
    },
  });
}

export type { Logger };
