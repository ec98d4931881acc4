import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { jsonTextTooDeep } from '@viva/protocol/json-nesting.js';
import { tooDeep } from './client-message-decoder.js';
import { httpError, reportError, type ErrorReporting } from './error-mapping.js';
import { DOCS_CSP, contentSecurityPolicy } from './http/content-security-policy.js';

const HTML_CSP = contentSecurityPolicy();

export interface HttpAppOptions {
  config: Config;
  logger: Logger;
  /** Where HTTP errors are counted, as WebSocket and SSE errors are. */
  metrics: ErrorReporting['metrics'];
  version: string;
}

/**
 * The Fastify instance with what every route shares: schema validation with zod, the error format of
 * docs/protocol.md §7, limits, security headers and the OpenAPI document at /docs.
 */
export async function createHttpApp({ config, logger, metrics, version }: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // session ids are up to 128 characters; longer ones get the contract's 400, not a 414
    routerOptions: { maxParamLength: 256 },
    trustProxy: config.TRUST_PROXY,
    // a slowloris upgrade or request that never finishes its headers is dropped; Node checks these
    // timeouts every connectionsCheckingInterval (30 s by default), so that is shortened too
    serverFactory: (handler) =>
      createServer(
        {
          headersTimeout: config.HEADERS_TIMEOUT_MS,
          requestTimeout: Math.max(30_000, config.HEADERS_TIMEOUT_MS + 1_000),
          connectionsCheckingInterval: Math.min(1_000, config.HEADERS_TIMEOUT_MS),
        },
        handler,
      ),
    return503OnClosing: true,
  });
  // JSON bodies are checked for nesting depth before they are parsed, as WebSocket frames are: what
  // runs on a parsed body (zod, JSON.stringify) recurses and would overflow the stack on deep nesting
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonTextTooDeep(text)) {
      done(Object.assign(new Error('too deep'), { statusCode: 400, vivaError: tooDeep() }), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const reporting: ErrorReporting = { metrics, logger };
  const route = (request: FastifyRequest) => `${request.method} ${request.url.split('?')[0] ?? ''}`;
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const params = request.params as { id?: unknown; session_id?: unknown } | undefined;
    const sessionId = typeof params?.id === 'string' ? params.id : typeof params?.session_id === 'string' ? params.session_id : undefined;
    const reported = reportError(reporting, toContractError(error), { edge: 'http', route: route(request), session_id: sessionId });
    const mapped = httpError(reported);
    // a refusal that knows when to come back (the audio budget) says it as HTTP does, in whole seconds
    const retryAfterMs = mapped.body.error.details?.retry_after_ms;
    if (typeof retryAfterMs === 'number' && retryAfterMs > 0) void reply.header('retry-after', String(Math.ceil(retryAfterMs / 1000)));
    return reply.code(mapped.status).send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new VivaError('INVALID_MESSAGE', `No endpoint ${route(request)}. See /docs for the API.`, { httpStatus: 404 });
    const mapped = httpError(reportError(reporting, error, { edge: 'http', route: route(request) }));
    return reply.code(mapped.status).send(mapped.body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    // every HTML answer gets the strict policy, unless its route set a stricter-fitted one (the report)
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html') && !reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', request.url.startsWith('/docs') ? DOCS_CSP : HTML_CSP);
    }
    return payload;
  });

  if (config.CORS_ORIGINS.length > 0) {
    const allowed = new Set(config.CORS_ORIGINS);
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (origin !== undefined && (allowed.has(origin) || allowed.has('*'))) {
        reply.header('access-control-allow-origin', origin);
        reply.header('vary', 'origin');
        reply.header('access-control-allow-headers', 'authorization, content-type, x-api-key, x-session-token');
        reply.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
        if (request.method === 'OPTIONS') return reply.code(204).send();
      }
    });
  }

  await app.register(rateLimit, {
    global: true,
    max: config.HTTP_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // the WebSocket upgrade has limits of its own (connections per address)
    allowList: (request) => request.url.startsWith('/api/v1/ws') || request.url === '/health',
    errorResponseBuilder: (_request, context) => {
      const error = new VivaError('RATE_LIMITED', `Too many requests: at most ${context.max} a minute. Retry in ${Math.ceil(context.ttl / 1000)} s.`);
      return Object.assign(new Error(error.message), { statusCode: 429, code: 'RATE_LIMITED', vivaError: error });
    },
  });
  await app.register(multipart, { limits: { fileSize: config.MAX_AUDIO_BYTES, files: 1, fields: 10, fieldSize: 1024 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Viva', description:
          'Real-time gateway for AI-led job interviews. The WebSocket protocol, the error and close codes, and what every route promises are described in `docs/protocol.md` of the Viva repository (the protocol reference, version 1.1).', version },
      components: {
        securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  return app;
}

/** Fastify's and its plugins' own errors, mapped to the codes of the contract. */
function toContractError(error: FastifyError & { vivaError?: VivaError }): unknown {
  if (error instanceof VivaError) return error;
  if (error.vivaError instanceof VivaError) return error.vivaError;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const field = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? '';
    const where = error.validationContext ?? 'body';
    const name = [where === 'body' ? '' : where, field].filter(Boolean).join('.') || where;
    return new VivaError('INVALID_MESSAGE', `Invalid field ${name}: ${first?.message ?? 'invalid value'}.`, {
      details: { field: name },
    });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return new VivaError('PAYLOAD_TOO_LARGE', 'The request body is larger than the server accepts.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new VivaError('INVALID_JSON', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new VivaError('INVALID_MESSAGE', 'Unsupported content type. Send application/json (or multipart/form-data for audio).');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new VivaError('INVALID_MESSAGE', 'Expected multipart/form-data.');
    default:
      break;
  }
  if (error instanceof SyntaxError) return new VivaError('INVALID_JSON', 'The request body is not valid JSON.');
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new VivaError('INVALID_MESSAGE', 'The request is not valid.');
  }
  return error;
}
