import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { constantTimeEqual, type SessionTokens } from '../session-tokens.js';

/** The credential a request carries: `Authorization: Bearer …`, `X-Session-Token`, or `?token=`. */
function presentedToken(request: FastifyRequest): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
  if (bearer) return bearer;
  const header = request.headers['x-session-token'];
  if (typeof header === 'string' && header.length > 0) return header;
  const query = (request.query as { token?: unknown } | undefined)?.token;
  return typeof query === 'string' ? query : undefined;
}

/**
 * Whether the request carries a valid token for `sessionId` in any of the places a token may be: a start
 * request can carry the API key as its Bearer and the session token in `X-Session-Token`.
 */
export function holdsSessionToken(request: FastifyRequest, tokens: SessionTokens, sessionId: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
  const header = request.headers['x-session-token'];
  const query = (request.query as { token?: unknown } | undefined)?.token;
  return [bearer, typeof header === 'string' ? header : undefined, typeof query === 'string' ? query : undefined].some(
    (token) => token !== undefined && token !== '' && tokens.verify(sessionId, token),
  );
}

/**
 * In token mode, a session's HTTP routes need that session's token; a wrong token and an unknown session
 * get the same 401, so the answer never reveals whether a session exists. Open mode lets everyone in.
 */
export function requireSessionToken(config: Config, tokens: SessionTokens, adminToken?: string) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (config.AUTH_MODE !== 'token') return;
    const { id } = request.params as { id?: string };
    const presented = presentedToken(request);
    // the hiring team reads and ends any session with the admin token (docs/protocol.md §10)
    if (adminToken !== undefined && presented !== undefined && constantTimeEqual(presented, adminToken)) return;
    if (id === undefined || !tokens.verify(id, presented)) {
      throw new VivaError('UNAUTHORIZED', 'This route needs the session token from POST /api/v1/interview/start.');
    }
  };
}

/**
 * In token mode, creating a session needs one of API_KEYS (`X-API-Key` or `Authorization: Bearer`), or
 * (with `allowInvite`, once the body is parsed) a template's invite key in the body, which the route then
 * checks against the store (docs/protocol.md §10).
 */
export function requireApiKey(config: Config, options: { allowInvite?: boolean } = {}) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (config.AUTH_MODE !== 'token') return;
    if (options.allowInvite === true && hasInvite(request.body)) return;
    const header = request.headers['x-api-key'];
    const key = typeof header === 'string' ? header : presentedToken(request);
    if (key === undefined || !config.API_KEYS.some((candidate) => constantTimeEqual(key, candidate))) {
      throw new VivaError('UNAUTHORIZED', 'Starting an interview needs an API key (X-API-Key header).');
    }
  };
}

function hasInvite(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { invite?: unknown }).invite === 'string';
}
