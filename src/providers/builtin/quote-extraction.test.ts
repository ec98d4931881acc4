import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences } from './quote-extraction.js';
import { randomTexts } from '../../../test/helpers/random-texts.js';

describe('splitSentences', () => {
  it('ends sentences at line breaks, at 。！？ anywhere, and at . ! ? before a space or the end', () => {
    assert.deepEqual(splitSentences('We cut p99 by 3.5x, e.g. on search! Then v2.1 shipped.\nNext'), [
      'We cut p99 by 3.5x, e.g. on search!',
      'Then v2.1 shipped.',
      'Next',
    ]);
    assert.deepEqual(splitSentences('我负责迁移。结果很好！你呢？?!  '), ['我负责迁移。', '结果很好！', '你呢？?!']);
    assert.deepEqual(splitSentences('  '), []);
  });
});

const CJK_SENTENCE_END = new Set([...'。！？']);
const LATIN_SENTENCE_END = new Set([...'.!?']);
const ABBREVIATION_BEFORE_DOT = /(?:^|[^a-z])(?:e\.g|i\.e|vs|cf|approx|mr|mrs|ms|dr|prof|no)$/i;

/** The scan as it was first written, one character string at a time: the oracle for random texts. */
function splitByCharacters(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  const push = (end: number) => {
    const sentence = text.slice(start, end).trim();
    if (sentence !== '') sentences.push(sentence);
    start = end;
  };
  for (let index = 0; index < text.length; index++) {
    const character = text.charAt(index);
    if (character === '\n') {
      push(index);
      continue;
    }
    const cjk = CJK_SENTENCE_END.has(character);
    if (!cjk && !LATIN_SENTENCE_END.has(character)) continue;
    let end = index + 1;
    while (end < text.length && (CJK_SENTENCE_END.has(text.charAt(end)) || LATIN_SENTENCE_END.has(text.charAt(end)))) end++;
    const next = text.charAt(end);
    const atBoundary = cjk || next === '' || /\s/.test(next);
    const abbreviation = character === '.' && end === index + 1 && ABBREVIATION_BEFORE_DOT.test(text.slice(Math.max(start, index - 8), index));
    if (atBoundary && !abbreviation) push(end);
    index = end - 1;
  }
  push(text.length);
  return sentences;
}

describe('splitSentences on random texts', () => {
  it('cuts exactly where a scan of one-character strings cuts', () => {
    const parts = ['a', 'Z', '3', ' ', '  ', '\n', '\r\n', '\t', '.', '!', '?', '。', '！', '？', '，', ',', '好', '谢', 'e.g.', ' i.e.', ' vs.', ' Dr.', ' No.', '3.5', 'v2.1', '\u00a0', '\u3000', '😀'];
    for (const text of randomTexts(parts, 2000)) {
      assert.deepEqual(splitSentences(text), splitByCharacters(text), JSON.stringify(text));
    }
  });
});
