import type { ErrorCode } from '@viva/protocol/error-codes.js';
import type { ServerMessage } from '@viva/protocol/server-messages.js';

/**
 * Failures the client itself detects, beside the server's contract codes (docs/protocol.md §4):
 * - `NOT_CONNECTED`: `connect()` was not called yet, or the client is closed.
 * - `CONNECTION_CLOSED`: the client stopped for good: `close()`, or a close code that means "stop".
 * - `DISCONNECTED`: the connection dropped while a `ping()` waited (inputs are re-sent instead).
 * - `REPLACED`: a newer connection to the same session took over (close 4001).
 * - `RECONNECT_FAILED`: `reconnect.maxAttempts` attempts in a row failed.
 * - `TIMEOUT`: no answer within `requestTimeoutMs`.
 * - `INVALID_SERVER_MESSAGE`: the server sent something that does not match the protocol.
 */
export type ClientErrorCode =
  | 'NOT_CONNECTED'
  | 'CONNECTION_CLOSED'
  | 'DISCONNECTED'
  | 'REPLACED'
  | 'RECONNECT_FAILED'
  | 'TIMEOUT'
  | 'INVALID_SERVER_MESSAGE';

export type VivaClientErrorCode = ErrorCode | ClientErrorCode;

export interface VivaClientErrorOptions {
  retryable?: boolean;
  details?: Record<string, unknown>;
  /** The `id` of the input this error answers. */
  replyTo?: string;
  /** The close code, for errors caused by a closed connection. */
  closeCode?: number;
}

/** The error every promise of VivaClient rejects with: a code, a human message, and whether to retry. */
export class VivaClientError extends Error {
  override readonly name = 'VivaClientError';
  readonly code: VivaClientErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;
  readonly replyTo: string | undefined;
  readonly closeCode: number | undefined;

  constructor(code: VivaClientErrorCode, message: string, options: VivaClientErrorOptions = {}) {
    super(message);
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
    this.replyTo = options.replyTo;
    this.closeCode = options.closeCode;
  }

  /** The error a server `error` message describes. */
  static fromServer(message: Extract<ServerMessage, { type: 'error' }>): VivaClientError {
    return new VivaClientError(message.data.code, message.data.message, {
      retryable: message.data.retryable,
      ...(message.data.details === undefined ? {} : { details: message.data.details }),
      ...(message.reply_to === undefined ? {} : { replyTo: message.reply_to }),
    });
  }
}

export function isVivaClientError(error: unknown, code?: VivaClientErrorCode): error is VivaClientError {
  return error instanceof VivaClientError && (code === undefined || error.code === code);
}

/**
 * The error for an upgrade the server refused with an HTTP status (docs/protocol.md §1), when retrying cannot
 * fix it; undefined for the statuses worth retrying (429, 503 while the server restarts).
 */
export function upgradeRefusalError(status: number): VivaClientError | undefined {
  const text = `The server refused the connection (HTTP ${status}).`;
  const details = { http_status: status };
  switch (status) {
    case 400:
      return new VivaClientError('INVALID_MESSAGE', `${text} Check the session id.`, { details });
    case 401:
    case 403:
      return new VivaClientError('UNAUTHORIZED', `${text} Check the session token and the page's origin.`, { details });
    case 404:
      return new VivaClientError('SESSION_NOT_FOUND', `${text} Check the URL.`, { details });
    default:
      return undefined;
  }
}
