import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deepFreeze } from './deep-freeze.js';

test('deepFreeze freezes every object and array inside a JSON-like value, and returns it', () => {
  const value = { reply: 'Hello', interview: { stage: 'opening', questions: [{ id: 'q1', tags: ['a'] }, null, 3] }, latency_ms: { ai: 1 } };
  const frozen = deepFreeze(value);
  assert.equal(frozen, value);
  for (const part of [value, value.interview, value.interview.questions, value.interview.questions[0], (value.interview.questions[0] as { tags: string[] }).tags, value.latency_ms]) {
    assert.ok(Object.isFrozen(part), `${JSON.stringify(part)} is not frozen`);
  }
  assert.throws(() => {
    (value.interview.questions as unknown[]).push(4);
  }, TypeError);
});

test('deepFreeze leaves a frozen part as it is, and plain values alone', () => {
  // a frozen record shared from an earlier turn is not walked again (its insides stay as they were)
  const shared = Object.freeze({ inner: { open: true } });
  const value = deepFreeze({ shared, fresh: { list: [1] } });
  assert.ok(Object.isFrozen(value.fresh.list));
  assert.equal(Object.isFrozen(shared.inner), false);
  assert.equal(deepFreeze('text'), 'text');
  assert.equal(deepFreeze(null), null);
});
