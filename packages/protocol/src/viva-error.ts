import { errorCodes, type ErrorCode } from './error-codes.js';

/**
 * The one error class of Viva: a contract code plus a message for humans. Anything thrown that is not a
 * VivaError is reported to clients as INTERNAL_ERROR, so internals never leak.
 */
export class VivaError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean;
  /** The HTTP status of the answer: the registry's for the code, unless this error says otherwise. */
  readonly httpStatus: number;

  constructor(
    code: ErrorCode,
    message?: string,
    options: {
      details?: Record<string, unknown>;
      retryable?: boolean;
      cause?: unknown;
      /** Where the status differs from the registry's (e.g. 404 for an unknown route, 403 for a refused origin). */
      httpStatus?: number;
    } = {},
  ) {
    super(message ?? errorCodes[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VivaError';
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.httpStatus = options.httpStatus ?? errorCodes[code].httpStatus;
  }
}

/** Turns anything thrown into a VivaError that is safe to show a client. */
export function toVivaError(error: unknown): VivaError {
  if (error instanceof VivaError) return error;
  return new VivaError('INTERNAL_ERROR', undefined, { cause: error });
}

export function isVivaError(error: unknown, code?: ErrorCode): error is VivaError {
  return error instanceof VivaError && (code === undefined || error.code === code);
}
