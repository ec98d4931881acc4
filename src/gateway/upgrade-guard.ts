import type { Config } from '../config.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import type { SessionTokens } from './session-tokens.js';
import type { SessionCreationLimiter } from './session-creation-limiter.js';
import type { UpgradeRequest } from './upgrade-request.js';

/** Whether a session exists: asked in token mode, and when an address is at its session-creation limit. */
export type SessionExists = (sessionId: string) => Promise<boolean>;

export interface UpgradeVerdict {
  /** The refusal; its `httpStatus` is the answer's status. */
  error: VivaError;
  reason: string;
}

/**
 * Checks made before a WebSocket handshake: the origin allowlist and, in token mode, the session token.
 * A refusal never says whether the session exists.
 */
export class UpgradeGuard {
  private readonly allowedOrigins: ReadonlySet<string>;

  constructor(
    private readonly config: Config,
    private readonly tokens: SessionTokens,
    private readonly creations: SessionCreationLimiter,
    private readonly sessionExists: SessionExists,
  ) {
    this.allowedOrigins = new Set(config.ALLOWED_ORIGINS.map((origin) => origin.toLowerCase()));
  }

  async check(request: UpgradeRequest, sessionId: string | undefined): Promise<UpgradeVerdict | null> {
    const origin = request.headers.origin;
    // browsers always send Origin; other clients (SDKs, scripts) may not, and cannot be spoofed into it
    if (this.allowedOrigins.size > 0 && origin !== undefined && !this.allowedOrigins.has(origin.toLowerCase())) {
      return {
        error: new VivaError('UNAUTHORIZED', 'This origin may not open a WebSocket to this server.', { httpStatus: 403 }),
        reason: 'origin',
      };
    }
    if (this.config.AUTH_MODE === 'token') {
      const token = request.query.token;
      // a token outlives an erased session (it is checked without the store): the session must exist too
      if (
        sessionId === undefined ||
        typeof token !== 'string' ||
        !this.tokens.verify(sessionId, token) ||
        !(await this.sessionExists(sessionId))
      ) {
        return {
          error: new VivaError(
            'UNAUTHORIZED',
            'A valid session token is required. Start an interview with POST /api/v1/interview/start and connect with ?token=.',
          ),
          reason: 'token',
        };
      }
    }
    if (!this.creations.allows(request.ip)) {
      // joining an existing session is fine; only creating another one is limited
      const creates = sessionId === undefined || !(await this.sessionExists(sessionId));
      if (creates) {
        return {
          error: new VivaError('RATE_LIMITED', `Too many new sessions from this address: at most ${this.config.SESSIONS_PER_IP_PER_MINUTE} a minute.`),
          reason: 'sessions_per_ip',
        };
      }
    }
    return null;
  }
}
