import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isVivaError } from '@viva/protocol/viva-error.js';
import { AudioUploadBudget } from './audio-upload-budget.js';

describe('AudioUploadBudget', () => {
  it('takes a minute of bytes at once, refills over the minute, says when to retry, and keeps addresses apart', () => {
    let now = 0;
    const budget = new AudioUploadBudget(600, () => now);
    budget.charge('a', 400);
    budget.charge('a', 200);
    const refused = (() => {
      try {
        budget.charge('a', 300);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    assert.ok(isVivaError(refused, 'RATE_LIMITED'));
    // 300 bytes of a 600-a-minute budget come back in 30 s
    assert.equal(refused.details?.retry_after_ms, 30_000);
    // a refusal charges nothing, and another address has its own budget
    budget.charge('b', 600);
    now = 30_000;
    budget.charge('a', 300);
    assert.throws(() => budget.charge('a', 1), (error: unknown) => isVivaError(error, 'RATE_LIMITED'));
    // never more than a minute's worth, however long the address was quiet
    now = 10 * 60_000;
    budget.charge('a', 600);
    assert.throws(() => budget.charge('a', 10), (error: unknown) => isVivaError(error, 'RATE_LIMITED'));
  });
});
