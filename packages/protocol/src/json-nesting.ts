/**
 * Bounds on the shape of JSON a client may send, checked before anything recursive (JSON.parse's result
 * walked by zod, JSON.stringify in a refinement) can run out of stack on it. No I/O: shared with the
 * browser app and the SDK.
 */

/** Deepest nesting of arrays and objects accepted in any client JSON (a message, a body, a context). */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether the JSON text nests arrays and objects more than `maxDepth` deep. One linear pass over the raw
 * text that skips string contents, so it is cheap even on a frame of a million brackets; text that is not
 * JSON at all is left for JSON.parse to refuse.
 */
export function jsonTextTooDeep(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
      continue;
    }
    if (code === QUOTE) inString = true;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth -= 1;
  }
  return false;
}

/**
 * Whether an already parsed value nests more than `maxDepth` deep: an iterative walk (no recursion, so no
 * stack to exhaust) for values that did not come through `jsonTextTooDeep`.
 */
export function jsonValueTooDeep(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  const seen = new Set<object>();
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    // a value reached twice (a cycle, or a shared object parsed JSON never has) is refused too, which
    // keeps JSON.stringify from throwing on a cycle
    if (depth > maxDepth || seen.has(item.value)) return true;
    seen.add(item.value);
    const children = Array.isArray(item.value) ? item.value : Object.values(item.value);
    for (const child of children) pending.push({ value: child, depth });
  }
  return false;
}
