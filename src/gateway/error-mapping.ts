import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ErrorCode } from '@viva/protocol/error-codes.js';
import { serverMessage, type ServerMessage } from '@viva/protocol/server-messages.js';
import { VivaError, toVivaError } from '@viva/protocol/viva-error.js';

/** The edge an error leaves through: a WebSocket message, an HTTP response, an SSE event, a refused upgrade. */
export type ErrorEdge = 'websocket' | 'http' | 'sse' | 'upgrade';

/** Where every error is counted and logged. */
export interface ErrorReporting {
  metrics: { error(code: ErrorCode): void };
  logger: Pick<Logger, 'error' | 'warn' | 'debug'>;
}

export interface ErrorContext {
  edge: ErrorEdge;
  session_id?: string | undefined;
  reply_to?: string | undefined;
  /** For HTTP: the method and path. */
  route?: string | undefined;
}

/**
 * The one exit of every error, whatever the edge: maps it to the contract (anything that is not a
 * VivaError becomes INTERNAL_ERROR), counts it once (`errors_by_code`, `viva_errors_total`) and logs it
 * the same way: an internal error at `error` with its cause, a server-side failure (5xx: a provider, a
 * backend, a restart) at `warn`, a client's mistake (4xx) at `debug` only, so clients cannot flood the
 * log. The caller then shapes the returned error for its edge (`errorMessage`, `httpError`).
 */
export function reportError(reporting: ErrorReporting, error: unknown, context: ErrorContext): VivaError {
  const viva = toVivaError(error);
  reporting.metrics.error(viva.code);
  const fields = { ...definedOnly(context), code: viva.code, status: viva.httpStatus };
  if (viva.code === 'INTERNAL_ERROR') reporting.logger.error({ ...fields, err: viva.cause ?? viva }, 'answered with an error');
  else if (viva.httpStatus >= 500) reporting.logger.warn({ ...fields, err: describeCause(viva) }, 'answered with an error');
  else reporting.logger.debug(fields, 'answered with an error');
  return viva;
}

function definedOnly(context: ErrorContext): Record<string, string> {
  return Object.fromEntries(Object.entries(context).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function describeCause(error: VivaError): string {
  const cause = error.cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** The one place an error becomes what a client sees: an `error` message or an HTTP error body. */
export function errorMessage(sessionId: string, error: unknown, replyTo?: string | undefined): ServerMessage {
  const viva = toVivaError(error);
  return serverMessage(
    'error',
    sessionId,
    {
      code: viva.code,
      message: viva.message,
      retryable: viva.retryable,
      ...(viva.details ? { details: viva.details } : {}),
    },
    { reply_to: replyTo },
  );
}

export interface HttpErrorBody {
  error: { code: string; message: string; retryable: boolean; details?: Record<string, unknown> };
}

export function httpError(error: unknown): { status: number; body: HttpErrorBody } {
  const viva = toVivaError(error);
  return {
    status: viva.httpStatus,
    body: {
      error: {
        code: viva.code,
        message: viva.message,
        retryable: viva.retryable,
        ...(viva.details ? { details: viva.details } : {}),
      },
    },
  };
}

/** A schema failure as INVALID_MESSAGE, naming the first field that is wrong. */
export function invalidMessage(error: z.ZodError, prefix: string[] = []): VivaError {
  const issue = error.issues[0];
  const field = [...prefix, ...(issue?.path ?? []).map(String)].join('.');
  const reason = issue?.message ?? 'invalid value';
  return new VivaError('INVALID_MESSAGE', field ? `Invalid field ${field}: ${reason}.` : `Invalid message: ${reason}.`, {
    details: { field: field || null, issues: error.issues.slice(0, 5).map((item) => ({ path: [...prefix, ...item.path.map(String)].join('.'), message: item.message })) },
  });
}
