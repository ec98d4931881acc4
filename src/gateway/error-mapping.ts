import type { z } from 'zod';
import { serverMessage, type ServerMessage } from '../protocol/server-messages.js';
import { VivaError, toVivaError } from '../protocol/viva-error.js';

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
