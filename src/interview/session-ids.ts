import { randomFillSync } from 'node:crypto';

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
  return `s_${now.toString(36).padStart(8, '0')}${randomPart()}`;
}

// the random part comes from a pool refilled 256 ids at a time, as node's randomUUID does: a
// randomBytes(12) per id costs ~20 µs (a call into OpenSSL each time), a slice of the pool next to nothing
const ID_RANDOM_BYTES = 12;
const pool = Buffer.alloc(ID_RANDOM_BYTES * 256);
let poolOffset = pool.length;

/** 96 random bits, base64url; every byte of the pool is used once. */
function randomPart(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const part = pool.toString('base64url', poolOffset, poolOffset + ID_RANDOM_BYTES);
  poolOffset += ID_RANDOM_BYTES;
  return part;
}
