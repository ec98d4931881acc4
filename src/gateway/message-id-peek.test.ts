import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { peekMessageId } from './message-id-peek.js';

const peek = (text: string) => peekMessageId(Buffer.from(text));

describe('peekMessageId', () => {
  it('reads a top-level id written before the data, and nothing it cannot be sure of', () => {
    assert.equal(peek('{"type":"audio_input","id":"a-1","data":{"audio_data":"AAAA"}}'), 'a-1');
    assert.equal(peek('{ "id" : "x" , "type":"audio_input"}'), 'x');
    // nested ids, ids inside strings, escapes, non-strings, an id after a long data: none
    assert.equal(peek('{"data":{"id":"inner"},"type":"audio_input"}'), undefined);
    assert.equal(peek('{"type":"\\"id\\":\\"fake\\"","x":1}'), undefined);
    assert.equal(peek('{"id":"a\\"b"}'), undefined);
    assert.equal(peek('{"id":12}'), undefined);
    assert.equal(peek(`{"data":{"audio_data":"${'A'.repeat(4096)}"},"id":"late"}`), undefined);
    assert.equal(peek(`{"id":"${'x'.repeat(65)}"}`), undefined);
    assert.equal(peek('not json'), undefined);
  });
});
