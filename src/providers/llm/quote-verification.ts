
/**
 * Evidence quotes must be the candidate's own words. A model's quote is accepted only when it is found
 * in one of the candidate's answers, and what goes into the report is the text found there, character
 * for character: differences in letter case, spacing and quote marks are forgiven in the search, but
 * never copied into the report. Anything else (a paraphrase, words stitched from two places, the
 * interviewer's words) is dropped.
 */

const WRAPPING = /^[\s"'“”‘’「」『』«»]+|[\s"'“”‘’「」『』«»]+$/g;
const TRAILING_ELLIPSIS = /(\.\.\.|…)+$/;
/** Shorter than this (in characters, CJK counted double) a "quote" proves nothing. */
const MIN_QUOTE_WEIGHT = 6;

function weight(text: string): number {
  return [...text].reduce((total, character) => total + (/[\u3400-\u9fff]/.test(character) ? 2 : 1), 0);
}

/** Escapes a literal for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function patternFor(quote: string): RegExp {
  const tokens = quote.split(/\s+/).filter((token) => token !== '');
  const escaped = tokens.map((token) => escapeRegExp(token).replace(/['’‘]/g, "['’‘]").replace(/["“”]/g, '["“”]'));
  return new RegExp(escaped.join('\\s+'), 'iu');
}

/** The candidate's own words matching `quote`, exactly as they said them, or undefined when not found. */
export function verifyQuote(quote: string, answers: readonly string[]): string | undefined {
  const cleaned = quote.replace(WRAPPING, '').replace(TRAILING_ELLIPSIS, '').replace(WRAPPING, '');
  if (weight(cleaned) < MIN_QUOTE_WEIGHT) return undefined;
  const pattern = patternFor(cleaned);
  for (const answer of answers) {
    const found = pattern.exec(answer);
    if (found !== null) return found[0];
  }
  return undefined;
}

/** The verified quotes among `quotes`, without duplicates, in their order. */
export function verifyQuotes(quotes: readonly string[], answers: readonly string[]): string[] {
  const verified = quotes.map((quote) => verifyQuote(quote, answers)).filter((quote): quote is string => quote !== undefined);
  return [...new Set(verified)];
}
