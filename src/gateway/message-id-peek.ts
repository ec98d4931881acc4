import { MAX_INPUT_ID_CHARACTERS } from '@viva/protocol/client-messages.js';

/** How far into a frame the `id` is looked for; clients write it before `data`, as the SDK does. */
const PEEK_BYTES = 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ID_CHARACTER = /^[\x20-\x7e]+$/;

/**
 * The top-level `"id"` of a JSON message, read from its first KiB without parsing it: a frame refused
 * for its size or its sender's budget (before it is decoded) can still be answered with `reply_to`. Only
 * a plain string of printable ASCII counts (no escapes); anything else, or an `id` after a large `data`,
 * gives undefined: the error then goes without `reply_to`, as for a frame that is not JSON.
 */
export function peekMessageId(frame: Uint8Array): string | undefined {
  const end = Math.min(frame.length, PEEK_BYTES);
  let depth = 0;
  for (let index = 0; index < end; index += 1) {
    const byte = frame[index];
    if (byte === QUOTE) {
      const close = closingQuote(frame, index + 1, end);
      if (close === -1) return undefined;
      if (depth === 1 && close === index + 3 && frame[index + 1] === 0x69 /* i */ && frame[index + 2] === 0x64 /* d */) {
        return stringValueAfter(frame, close + 1, end);
      }
      index = close;
    } else if (byte === 0x7b /* { */ || byte === 0x5b /* [ */) depth += 1;
    else if (byte === 0x7d /* } */ || byte === 0x5d /* ] */) depth -= 1;
  }
  return undefined;
}

function closingQuote(frame: Uint8Array, from: number, end: number): number {
  for (let index = from; index < end; index += 1) {
    if (frame[index] === BACKSLASH) index += 1;
    else if (frame[index] === QUOTE) return index;
  }
  return -1;
}

/** The string after `"id"`: optional whitespace, a colon, optional whitespace, a quoted plain string. */
function stringValueAfter(frame: Uint8Array, from: number, end: number): string | undefined {
  let index = from;
  const skipSpace = () => {
    while (index < end && (frame[index] === 0x20 || frame[index] === 0x09 || frame[index] === 0x0a || frame[index] === 0x0d)) index += 1;
  };
  skipSpace();
  if (frame[index] !== 0x3a /* : */) return undefined;
  index += 1;
  skipSpace();
  if (frame[index] !== QUOTE) return undefined;
  const close = closingQuote(frame, index + 1, end);
  if (close === -1) return undefined;
  const value = Buffer.from(frame.subarray(index + 1, close)).toString('latin1');
  if (value.length === 0 || value.length > MAX_INPUT_ID_CHARACTERS || !ID_CHARACTER.test(value) || value.includes('\\')) return undefined;
  return value;
}
