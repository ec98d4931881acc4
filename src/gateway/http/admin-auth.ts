import type { FastifyReply, FastifyRequest } from 'fastify';
import { VivaError } from '@viva/protocol/viva-error.js';
import { constantTimeEqual } from '../session-tokens.js';

/** A preHandler that lets a request through only with `Authorization: Bearer ADMIN_TOKEN`. */
export function requireAdminToken(adminToken: string) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match?.[1] === undefined || !constantTimeEqual(match[1].trim(), adminToken)) {
      throw new VivaError('UNAUTHORIZED', 'The management API needs Authorization: Bearer <ADMIN_TOKEN>.');
    }
  };
}

/** Whether the request carries `Authorization: Bearer ADMIN_TOKEN` (routes shared with candidates show it more). */
export function hasAdminToken(request: FastifyRequest, adminToken: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] !== undefined && constantTimeEqual(match[1].trim(), adminToken);
}
