import { escapeRegExp } from './text-tools.js';

const ASCII_ONLY = /^[\x20-\x7e]+$/;
const patternCache = new Map<string, RegExp>();

function keywordPattern(keyword: string): RegExp {
  let pattern = patternCache.get(keyword);
  if (pattern === undefined) {
    // whole words for Latin keywords, so "ci" does not match "decision"; Chinese has no word breaks
    const body = escapeRegExp(keyword).replace(/\s+/g, '[\\s-]+');
    pattern = ASCII_ONLY.test(keyword) ? new RegExp(`(^|[^a-z0-9])${body}($|[^a-z0-9])`, 'i') : new RegExp(body, 'i');
    patternCache.set(keyword, pattern);
  }
  return pattern;
}

/** Whether `text` mentions `keyword` (case-insensitive; whole words for Latin keywords). */
export function mentionsKeyword(text: string, keyword: string): boolean {
  return keywordPattern(keyword).test(text);
}

/** The keywords `text` mentions, in the order given. */
export function keywordsMentioned(text: string, keywords: readonly string[]): string[] {
  return keywords.filter((keyword) => mentionsKeyword(text, keyword));
}

/**
 * The first mention of any keyword, exactly as the text spells it ("Redis" for the keyword "redis"),
 * for quoting the candidate back to them.
 */
export function findKeywordMention(text: string, keywords: readonly string[]): string | undefined {
  let best: { index: number; spelled: string } | undefined;
  for (const keyword of keywords) {
    const match = keywordPattern(keyword).exec(text);
    if (match === null) continue;
    const prefix = match[1] ?? '';
    const spelled = match[0].slice(prefix.length, match[0].length - (match[2]?.length ?? 0));
    const index = match.index + prefix.length;
    if (spelled !== '' && (best === undefined || index < best.index)) best = { index, spelled };
  }
  return best?.spelled;
}
