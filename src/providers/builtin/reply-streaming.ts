import { codesOf } from './text-tools.js';

const SENTENCE_END = codesOf('.!?。！？：:;；');
const CLOSING_MARKS = codesOf('"”’)）」');

const ABBREVIATIONS = /(^|\s)(e\.g|i\.e|etc|vs|mr|ms|mrs|dr)\.$/i;

function isBreakAfter(next: string | undefined): boolean {
  // "3.5" stays whole: only a space, the end, or a Chinese character after the mark ends a piece
  return next === undefined || /\s/.test(next) || /[\u3400-\u9fff]/.test(next);
}

/**
 * Splits a reply into sentence-sized pieces for streaming. Whitespace stays with the piece before it,
 * so the pieces always concatenate to exactly the reply.
 */
export function splitIntoPieces(reply: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let index = 0;
  while (index < reply.length) {
    const code = reply.charCodeAt(index);
    index++;
    if (!SENTENCE_END.has(code)) continue;
    while (index < reply.length && (SENTENCE_END.has(reply.charCodeAt(index)) || CLOSING_MARKS.has(reply.charCodeAt(index)))) index++;
    if (!isBreakAfter(reply[index]) || ABBREVIATIONS.test(reply.slice(start, index))) continue;
    while (index < reply.length && /\s/.test(reply.charAt(index))) index++;
    pieces.push(reply.slice(start, index));
    start = index;
  }
  if (start < reply.length) pieces.push(reply.slice(start));
  return pieces;
}
