import { errorCodes, type ErrorCode } from './error-codes.js';

/**
 * The one error class of Viva: a contract code plus a message for humans. Anything thrown that is not a
 * VivaError is reported to clients as INTERNAL_ERROR, so internals never leak.
 */
export class VivaError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean;
  /** A status other than the code's own, where the contract names one (403 for a report kept from candidates). */
  readonly #httpStatus: number | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { details?: Record<string, unknown>; retryable?: boolean; cause?: unknown; httpStatus?: number } = {},
  ) {
    super(message ?? errorCodes[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VivaError';
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.#httpStatus = options.httpStatus;
  }

  get httpStatus(): number {
    return this.#httpStatus ?? errorCodes[this.code].httpStatus;
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
