import { randomBytes } from 'node:crypto';

/** Session ids of the contract: `^[A-Za-z0-9_-]{1,128}$`. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function isValidSessionId(value: string): boolean {
  return SESSION_ID_PATTERN.test(value);
}

/**
 * A new, unguessable session id: `s_`, the creation time in milliseconds (base 36, 8 characters, so ids
 * sort by creation until the year 2059), then 96 random bits. The time prefix keeps the sessions being
 * used now next to each other in the database's indexes, so a batch of turns touches a few pages instead
 * of one page per session.
 */
export function newSessionId(now = Date.now()): string {
  return `s_${now.toString(36).padStart(8, '0')}${randomBytes(12).toString('base64url')}`;
}
