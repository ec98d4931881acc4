import type { Language } from '@viva/protocol/interview-schemas.js';
import { analyzeAnswer } from './answer-analysis.js';
import { codesOf, measureWords } from './text-tools.js';

/** Marks that end a sentence wherever they stand (Chinese), and those that do only before a space or the end. */
const CJK_SENTENCE_END = codesOf('。！？');
const LATIN_SENTENCE_END = codesOf('.!?');

const NEWLINE = 0x0a;
const DOT = 0x2e;
/** Abbreviations whose dot ends no sentence ("e.g. Kafka", "i.e. the cache"), checked on the few characters before a dot. */
const ABBREVIATION_BEFORE_DOT = /(?:^|[^a-z])(?:e\.g|i\.e|vs|cf|approx|mr|mrs|ms|dr|prof|no)$/i;
// a quote ends at its last word: sentence marks and dangling commas are dropped (still a substring)
const TRAILING_PUNCTUATION = new Set([...',，、;；:：-—.!?。！？']);

/**
 * Drops trailing punctuation and whitespace. A loop, not `/[…]+$/`: that pattern retries from every
 * character of a long run of commas and dots that is not at the end, which is quadratic.
 */
function trimTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0) {
    const character = text.charAt(end - 1);
    if (!TRAILING_PUNCTUATION.has(character) && character.trim() !== '') break;
    end -= 1;
  }
  return text.slice(0, end);
}

/**
 * The sentences of a text, each an exact substring of it (trimmed). A sentence ends at a line break, at
 * 。！？, or at . ! ? followed by a space or the end, so "3.5", "v2.1" and "e.g. Kafka" stay whole. One pass
 * over character codes: a late turn of a long interview quotes the candidate (every ready-made follow-up
 * has been asked by then), and a string of every character made that pass the dearest part of the turn.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  const push = (end: number) => {
    const sentence = text.slice(start, end).trim();
    if (sentence !== '') sentences.push(sentence);
    start = end;
  };
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === NEWLINE) {
      push(index);
      continue;
    }
    const cjk = CJK_SENTENCE_END.has(code);
    if (!cjk && !LATIN_SENTENCE_END.has(code)) continue;
    // a run of marks ("?!", "。。。") ends one sentence
    let end = index + 1;
    while (end < text.length && (CJK_SENTENCE_END.has(text.charCodeAt(end)) || LATIN_SENTENCE_END.has(text.charCodeAt(end)))) end++;
    const atBoundary = cjk || end === text.length || /\s/.test(text.charAt(end));
    const abbreviation = code === DOT && end === index + 1 && ABBREVIATION_BEFORE_DOT.test(text.slice(Math.max(start, index - 8), index));
    if (atBoundary && !abbreviation) push(end);
    index = end - 1;
  }
  push(text.length);
  return sentences;
}

/**
 * Shortens a sentence to at most `maxCharacters`, cutting at a clause break (a comma or semicolon) or else
 * a word break, and never adding anything, so the result is still a substring of what the candidate said.
 */
export function clipQuote(sentence: string, maxCharacters: number): string {
  if (sentence.length <= maxCharacters) return trimTrailingPunctuation(sentence);
  const head = sentence.slice(0, maxCharacters);
  const clauseAt = Math.max(head.lastIndexOf(', '), head.lastIndexOf('; '), head.lastIndexOf('，'), head.lastIndexOf('；'));
  const wordAt = Math.max(head.lastIndexOf(' '), head.lastIndexOf('、'));
  const breakAt = clauseAt > maxCharacters / 2 ? clauseAt : wordAt;
  const clipped = breakAt > maxCharacters / 2 ? head.slice(0, breakAt) : head;
  return trimTrailingPunctuation(clipped);
}

/** A few of the candidate's own words to quote back in a follow-up, or undefined for a near-empty answer. */
export function extractShortQuote(answer: string, language: Language): string | undefined {
  const sentence = splitSentences(answer).find((candidate) => measureWords(candidate) >= 3);
  if (sentence === undefined) return undefined;
  const quote = clipQuote(sentence, language === 'zh' ? 20 : 60);
  return quote === '' ? undefined : quote;
}

function evidenceWeight(sentence: string): number {
  const analysis = analyzeAnswer(sentence);
  return (
    (analysis.metrics.length > 0 ? 3 : 0) +
    (analysis.hasOutcome ? 2 : 0) +
    (analysis.hasExample ? 2 : 0) +
    Math.min(analysis.words, 30) / 30
  );
}

/**
 * Short exact quotes from an answer that best show what the candidate did: sentences with figures,
 * outcomes and concrete examples first. Each quote is a substring of `answer`.
 * @param limit how many quotes at most @default 2
 * @param maxCharacters longest quote @default 160
 */
export function pickEvidenceQuotes(answer: string, limit = 2, maxCharacters = 160): string[] {
  // counting words first: a full analysis of each of thousands of one-word sentences adds up
  const sentences = splitSentences(answer).filter((sentence) => measureWords(sentence) >= 3);
  // whole sentences first: a long one is clipped only when no sentence fits, and weighed as clipped
  // (what would be quoted), which also keeps a huge run-on "sentence" from being analysed whole
  const whole = sentences.filter((sentence) => sentence.length <= maxCharacters);
  const quotable = (whole.length > 0 ? whole : sentences).map((sentence) => clipQuote(sentence, maxCharacters)).filter((quote) => quote !== '');
  const ranked = quotable
    .map((quote, index) => ({ quote, index, weight: evidenceWeight(quote) }))
    .sort((left, right) => right.weight - left.weight || left.index - right.index)
    .slice(0, limit)
    .sort((left, right) => left.index - right.index);
  return ranked.map(({ quote }) => quote);
}
