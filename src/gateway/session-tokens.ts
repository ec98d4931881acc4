import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Session tokens: `v1.<expiry seconds>.<HMAC-SHA256(session id, expiry)>`, bound to one session and
 * checked without a store look-up. The secret is kept across restarts, so tokens outlive the process.
 */
export class SessionTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(sessionId: string): string {
    const expiry = Math.floor(this.now() / 1000) + this.ttlSeconds;
    return `v1.${expiry}.${this.sign(sessionId, expiry)}`;
  }

  /** Whether `token` was issued for `sessionId` and has not expired. */
  verify(sessionId: string, token: string | undefined): boolean {
    if (token === undefined) return false;
    const [version, expiryText, signature] = token.split('.');
    if (version !== 'v1' || expiryText === undefined || signature === undefined) return false;
    const expiry = Number(expiryText);
    if (!Number.isSafeInteger(expiry) || expiry * 1000 < this.now()) return false;
    return constantTimeEqual(signature, this.sign(sessionId, expiry));
  }

  private sign(sessionId: string, expiry: number): string {
    return createHmac('sha256', this.secret).update(`${sessionId}\n${expiry}`).digest('base64url');
  }
}

/** Compares secrets in time that does not depend on where they differ. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'compare').update(given).digest();
  const b = createHmac('sha256', 'compare').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}
