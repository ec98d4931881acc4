import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitIntoPieces } from './reply-streaming.js';
import { randomTexts } from '../../../test/helpers/random-texts.js';

describe('splitIntoPieces', () => {
  it('splits per sentence and always joins back to the reply', () => {
    const english = 'Thanks, that helps. Latency fell by 3.5x, e.g. on search! Next question: how would you test it?';
    const pieces = splitIntoPieces(english);
    assert.equal(pieces.join(''), english);
    assert.deepEqual(pieces, ['Thanks, that helps. ', 'Latency fell by 3.5x, e.g. on search! ', 'Next question: ', 'how would you test it?']);
  });

  it('splits Chinese at full-width marks, including a lead ending in a colon', () => {
    const chinese = '好的，谢谢。接下来想问你：你怎么看待技术债？';
    assert.deepEqual(splitIntoPieces(chinese), ['好的，谢谢。', '接下来想问你：', '你怎么看待技术债？']);
  });

  it('keeps text without sentence marks whole, and gives nothing for an empty reply', () => {
    assert.deepEqual(splitIntoPieces('no marks here'), ['no marks here']);
    assert.deepEqual(splitIntoPieces(''), []);
  });
});

/** The scan as it was first written, one character string at a time: the oracle for random replies. */
function splitByCharacters(reply: string): string[] {
  const ends = new Set(['.', '!', '?', '。', '！', '？', '：', ':', ';', '；']);
  const closing = new Set(['"', '”', '’', ')', '）', '」']);
  const pieces: string[] = [];
  let start = 0;
  let index = 0;
  while (index < reply.length) {
    const character = reply.charAt(index);
    index++;
    if (!ends.has(character)) continue;
    while (index < reply.length && (ends.has(reply.charAt(index)) || closing.has(reply.charAt(index)))) index++;
    const next = reply[index];
    const breaks = next === undefined || /\s/.test(next) || /[\u3400-\u9fff]/.test(next);
    if (!breaks || /(^|\s)(e\.g|i\.e|etc|vs|mr|ms|mrs|dr)\.$/i.test(reply.slice(start, index))) continue;
    while (index < reply.length && /\s/.test(reply.charAt(index))) index++;
    pieces.push(reply.slice(start, index));
    start = index;
  }
  if (start < reply.length) pieces.push(reply.slice(start));
  return pieces;
}

describe('splitIntoPieces on random replies', () => {
  it('cuts exactly where a scan of one-character strings cuts', () => {
    const parts = ['a', 'Z', '3', ' ', '  ', '\n', '\t', '.', '!', '?', '。', '！', '？', '：', ':', ';', '；', '"', '”', '’', ')', '）', '」', '好', '谢', 'e.g.', ' i.e.', ' etc.', ' Dr.', '3.5', '\u00a0', '😀'];
    for (const reply of randomTexts(parts, 2000)) {
      assert.deepEqual(splitIntoPieces(reply), splitByCharacters(reply), JSON.stringify(reply));
    }
  });
});
