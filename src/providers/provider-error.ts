/**
 * A failure of a remote model or speech service, in vendor-neutral terms: the adapters translate their
 * SDK's errors into this, the retry policy reads `retryable` and `retryAfterMs`, metrics count by `kind`.
 * It never reaches a client: the roles and wrappers turn it into a fallback or a VivaError.
 */
export type ProviderErrorKind =
  /** 429 */
  | 'rate_limited'
  /** 5xx, or an error object in the stream */
  | 'server_error'
  /** 408 or 409 (OpenAI's "try again" conflicts) */
  | 'conflict'
  /** 401, 403 */
  | 'auth'
  /** 404: wrong base URL or model name */
  | 'not_found'
  /** another 4xx: the request itself is wrong for this server */
  | 'bad_request'
  /** no connection, reset, DNS */
  | 'network'
  /** the stream stopped before the model finished */
  | 'stream_cut'
  /** no answer within the call's time budget */
  | 'timeout'
  /** an answer that is not what was asked for (invalid JSON, empty reply) */
  | 'bad_output'
  /** the circuit breaker is open: the provider failed too often lately and is given a rest */
  | 'circuit_open';

const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['rate_limited', 'server_error', 'conflict', 'network', 'stream_cut']);

/** Kinds that say the provider is unwell (as opposed to a bad request or output), which trip the breaker. */
const AVAILABILITY_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limited',
  'server_error',
  'conflict',
  'network',
  'stream_cut',
  'timeout',
  'auth',
  'not_found',
]);

export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  /** Milliseconds the server asked us to wait (retry-after), when it did. */
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;

  constructor(
    kind: ProviderErrorKind,
    message: string,
    options: { status?: number | undefined; retryAfterMs?: number | undefined; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? RETRYABLE_KINDS.has(kind);
  }

  /** Whether this failure counts against the provider's health (circuit breaker). */
  get countsAsOutage(): boolean {
    return AVAILABILITY_KINDS.has(this.kind);
  }
}

export function isProviderError(error: unknown, kind?: ProviderErrorKind): error is ProviderError {
  return error instanceof ProviderError && (kind === undefined || error.kind === kind);
}

/** The kind of any error, for metrics: provider errors by kind, anything else `internal`. */
export function errorKindOf(error: unknown): ProviderErrorKind | 'internal' {
  return error instanceof ProviderError ? error.kind : 'internal';
}
