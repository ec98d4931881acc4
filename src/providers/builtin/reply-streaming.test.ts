import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitIntoPieces } from './reply-streaming.js';

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
