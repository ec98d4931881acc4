import { randomBytes } from 'node:crypto';

/** Session ids of the contract: `^[A-Za-z0-9_-]{1,128}$`. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function isValidSessionId(value: string): boolean {
  return SESSION_ID_PATTERN.test(value);
}

/** A new, unguessable session id (96 random bits). */
export function newSessionId(): string {
  return `s_${randomBytes(12).toString('base64url')}`;
}
