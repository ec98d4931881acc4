import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countCjkCharacters, countLatinWords, looksChinese, measureWords } from './word-measure.js';
import { randomTexts } from '../../../test/helpers/random-texts.js';

// the definitions the counting loops stand for: each count is the number of these patterns' matches
const LATIN_WORD = /[A-Za-z0-9][A-Za-z0-9'’+#.-]*/g;
const CJK_IDEOGRAPH = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;

const SAMPLES = [
  '',
  '   ',
  'I led the migration of our payments service to an event-driven design.',
  "don't, won’t and can't",
  'C++ and C# in v2.1, 3.5x faster; e.g. Kafka... or -flag --long',
  "'quoted' ‘curly’ ’leading and trailing’ '",
  '##hash +plus -dash .dot 42 a1-b2.c3',
  '我负责把支付服务迁移到事件驱动架构，延迟从200ms降到40ms。',
  '混合 mixed 文本 text，含标点。And ASCII!',
  '㐀䶿一鿿豈﫿 and 〇 (U+3007) and ＡＢＣ fullwidth',
  '𠀀 (Extension B, a surrogate pair) 𪜀',
  'tab\tseparated\nlines\r\nand\u00a0non-breaking spaces',
  'x'.repeat(10_000),
  'a.'.repeat(5_000),
  'é café naïve Zürich',
];

describe('word measure', () => {
  it('counts exactly the matches of the word and ideograph patterns', () => {
    for (const text of SAMPLES) {
      assert.equal(countLatinWords(text), text.match(LATIN_WORD)?.length ?? 0, JSON.stringify(text.slice(0, 60)));
      assert.equal(countCjkCharacters(text), text.match(CJK_IDEOGRAPH)?.length ?? 0, JSON.stringify(text.slice(0, 60)));
    }
  });

  it('counts random text the same way', () => {
    // letters, digits, the continuation marks, spaces, punctuation, ideographs at the ranges' edges
    const alphabet = [...'aZ09\'’+#.- ,;!?\n\t', '\u3400', '\u4dbf', '\u4dc0', '\u4e00', '\u9fff', '\ua000', '\uf900', '\ufaff', '\ufb00', '中', 'é'];
    for (const text of randomTexts(alphabet, 500, 60, 7)) {
      assert.equal(countLatinWords(text), text.match(LATIN_WORD)?.length ?? 0, JSON.stringify(text));
      assert.equal(countCjkCharacters(text), text.match(CJK_IDEOGRAPH)?.length ?? 0, JSON.stringify(text));
    }
  });

  it('measures Chinese in word equivalents and tells which language a text is mostly in', () => {
    assert.equal(measureWords('we used a cache'), 4);
    assert.equal(measureWords('我们用了缓存'), 6 / 1.6);
    assert.equal(looksChinese('我们用了缓存 cache'), true);
    assert.equal(looksChinese('we used a 缓存'), false);
  });
});
