import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidSessionId, newSessionId } from './session-ids.js';

describe('newSessionId', () => {
  it('makes valid, distinct ids that sort by creation time', () => {
    const ids = Array.from({ length: 1_000 }, (_, index) => newSessionId(1_800_000_000_000 + index * 997));
    for (const id of ids) assert.ok(isValidSessionId(id), id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), ids);
    // the random part alone is 16 base64url characters: 96 bits
    assert.equal(newSessionId().length, 2 + 8 + 16);
  });

  it('never repeats a random part, across refills of its random pool', () => {
    const randomParts = Array.from({ length: 2_000 }, () => newSessionId(1_800_000_000_000).slice(10));
    assert.equal(new Set(randomParts).size, randomParts.length);
  });
});
