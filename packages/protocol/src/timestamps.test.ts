import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timestampNow, timestampsOf } from './timestamps.js';

test('timestampNow is the current time in ISO 8601, to the millisecond, and follows the clock', async () => {
  const before = Date.now();
  const first = timestampNow();
  const after = Date.now();
  assert.match(first, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  const at = Date.parse(first);
  assert.ok(at >= before && at <= after, `${first} is not between ${new Date(before).toISOString()} and ${new Date(after).toISOString()}`);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const later = timestampNow();
  assert.ok(Date.parse(later) >= after + 5 - 1, `${later} did not move on with the clock`);
  assert.ok(later > first);
});

test('timestampsOf formats a given clock, and is timestampNow without one', () => {
  const fixed = new Date('2026-01-02T03:04:05.678Z');
  assert.equal(timestampsOf(() => fixed)(), '2026-01-02T03:04:05.678Z');
  assert.equal(timestampsOf(undefined), timestampNow);
});
