import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { Logger } from 'pino';
import { ProviderError } from '../provider-error.js';
import { parseRetryAfter } from '../resilience/retry-policy.js';

/** Where an OpenAI-compatible endpoint is and how to reach it. */
export interface OpenAiEndpoint {
  /** Such as `https://api.openai.com/v1` or `http://localhost:11434/v1`. @default the OpenAI API */
  baseURL?: string | undefined;
  /** Sent as `Authorization: Bearer …`; local servers need none. */
  apiKey?: string | undefined;
  /** For tests, or a proxy: replaces the global fetch. */
  fetch?: typeof fetch | undefined;
}

/** Local servers (Ollama, llama.cpp, whisper.cpp) take any key, but the SDK insists on one. */
const NO_KEY = 'not-needed';

/**
 * The SDK client for one endpoint. Its own retries are off (`maxRetries: 0`): retries happen in
 * resilience/retry-policy.ts, where they are logged and counted. Its timeout is left long because every
 * call carries an abort signal with the real budget. Its log lines go to our logger, which never sees the
 * key: the SDK logs no headers below `debug`, and we forward only `warn` and `error`.
 */
export function createOpenAiClient(endpoint: OpenAiEndpoint, logger: Logger): OpenAI {
  return new OpenAI({
    apiKey: endpoint.apiKey ?? NO_KEY,
    ...(endpoint.baseURL === undefined ? {} : { baseURL: endpoint.baseURL }),
    ...(endpoint.fetch === undefined ? {} : { fetch: endpoint.fetch }),
    maxRetries: 0,
    timeout: 10 * 60_000,
    logLevel: 'warn',
    logger: {
      error: (message: string) => logger.warn({ component: 'openai-sdk' }, message),
      warn: (message: string) => logger.warn({ component: 'openai-sdk' }, message),
      info: () => undefined,
      debug: () => undefined,
    },
  });
}

/** The endpoint for logs: scheme, host and path, never credentials or a query string. */
export function describeEndpoint(baseURL: string | undefined): string {
  if (baseURL === undefined) return 'https://api.openai.com/v1';
  try {
    const url = new URL(baseURL);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}

function messageOf(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const detail = typeof body?.message === 'string' ? body.message : error.message;
  return detail.slice(0, 300);
}

/**
 * Translates whatever the SDK (or fetch under it) threw into a ProviderError, or rethrows the abort
 * signal's reason when the call was aborted from outside: a cancel or a deadline is not a provider failure.
 */
export function translateOpenAiError(error: unknown, signal: AbortSignal | undefined, during: 'request' | 'stream' = 'request'): unknown {
  if (signal?.aborted === true) return signal.reason;
  if (error instanceof ProviderError) return error;
  if (error instanceof APIConnectionTimeoutError) return new ProviderError('timeout', 'The endpoint did not answer in time.', { cause: error, retryable: true });
  if (error instanceof APIUserAbortError) return new ProviderError('network', 'The request was aborted.', { cause: error });
  if (error instanceof APIConnectionError) {
    return new ProviderError(during === 'stream' ? 'stream_cut' : 'network', `Could not reach the endpoint: ${error.message}`, { cause: error });
  }
  if (error instanceof APIError) {
    const status = error.status;
    const retryAfterMs = parseRetryAfter(error.headers);
    const detail = messageOf(error);
    if (status === undefined) return new ProviderError('server_error', `The endpoint reported an error: ${detail}`, { cause: error });
    const options = { status, retryAfterMs, cause: error };
    if (status === 429) return new ProviderError('rate_limited', `Rate limited (429): ${detail}`, options);
    if (status === 408 || status === 409) return new ProviderError('conflict', `Try again (${status}): ${detail}`, options);
    if (status >= 500) return new ProviderError('server_error', `Server error (${status}): ${detail}`, options);
    if (status === 401 || status === 403) return new ProviderError('auth', `Not authorized (${status}): check the API key. ${detail}`, options);
    if (status === 404) return new ProviderError('not_found', `Not found (404): check the base URL and the model name. ${detail}`, options);
    return new ProviderError('bad_request', `Refused (${status}): ${detail}`, options);
  }
  // a socket torn down mid-body surfaces from fetch as a bare TypeError ("terminated")
  if (error instanceof TypeError || (error instanceof Error && 'code' in error)) {
    return new ProviderError(during === 'stream' ? 'stream_cut' : 'network', `The connection failed: ${error.message}`, { cause: error });
  }
  // a chunk that is not JSON: the stream is broken, like a cut one
  if (error instanceof SyntaxError) return new ProviderError('stream_cut', 'The endpoint sent a malformed stream.', { cause: error });
  return error;
}
