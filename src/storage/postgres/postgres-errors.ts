import { VivaError } from '@viva/protocol/viva-error.js';

/** Node socket errors that mean the database could not be reached or the connection broke. */
const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * SQLSTATEs after which the same request may succeed if sent again: the server is shutting down or
 * starting, out of connections, or the statement ran into a timeout, a deadlock or a serialization
 * conflict. Class 08 (connection exception) is matched by prefix below.
 */
const transientSqlStates = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03', '40001', '40P01']);

/** Messages node-postgres uses for its own timeouts and broken connections (it sets no code on them). */
const transientMessages = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /connection timeout/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
];

/** Whether `error` says the database is unreachable or briefly unable, rather than that the request is wrong. */
export function isTransientPostgresError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (networkErrorCodes.has(code) || transientSqlStates.has(code) || code.startsWith('08')) return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isTransientPostgresError);
  return transientMessages.some((pattern) => pattern.test(error.message));
}

/**
 * What a client sees when the store cannot be reached: INTERNAL_ERROR, but marked retryable (the
 * registry's default for that code is not), because nothing about the request was wrong and nothing of it
 * was stored; sending it again (with the same `id`) once the database is back is safe.
 */
export function storeUnavailable(cause: unknown): VivaError {
  return new VivaError('INTERNAL_ERROR', 'The interview store is temporarily unavailable. Try again in a moment.', {
    retryable: true,
    cause,
  });
}
