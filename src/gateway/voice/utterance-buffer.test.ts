import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UtteranceBuffer } from './utterance-buffer.js';

describe('UtteranceBuffer', () => {
  it('keeps only the prefix of ten minutes of silence', () => {
    const buffer = new UtteranceBuffer(16_000, 300, 120_000);
    const second = Buffer.alloc(32_000);
    for (let index = 0; index < 600; index += 1) {
      buffer.append(second);
      buffer.trimToPrefix();
    }
    assert.equal(buffer.durationMs, 300);
    assert.equal(buffer.take().length, 9_600);
    assert.equal(buffer.durationMs, 0);
  });

  it('keeps the newest samples, in order, across chunks', () => {
    const buffer = new UtteranceBuffer(1_000, 3, 60_000);
    for (let value = 1; value <= 5; value += 1) buffer.append(Buffer.from(Int16Array.of(value * 10, value * 10 + 1).buffer));
    buffer.trimToPrefix();
    const kept = buffer.peek();
    assert.deepEqual([...new Int16Array(kept.buffer, kept.byteOffset, kept.length / 2)], [41, 50, 51]);
  });

  it('is full at its maximum length', () => {
    const buffer = new UtteranceBuffer(8_000, 300, 1_000);
    buffer.append(Buffer.alloc(15_998));
    assert.equal(buffer.full, false);
    buffer.append(Buffer.alloc(2));
    assert.equal(buffer.full, true);
  });
});
