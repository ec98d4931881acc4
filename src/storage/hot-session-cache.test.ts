import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialProgress } from '../interview/interview-types.js';
import type { SessionRecord } from '../interview/session-store.js';
import { HotSessionCache } from './hot-session-cache.js';

function record(id: string, turnCount = 0): SessionRecord {
  const now = '2026-12-04T00:00:00.000Z';
  return { id, created_at: now, updated_at: now, candidate: {}, settings: {}, plan: null, progress: initialProgress(), report: null, last_seq: 0, turn_count: turnCount, template_id: null };
}

test('past its capacity the cache drops the session written least recently', () => {
  const cache = new HotSessionCache(2);
  cache.putNew(record('a'));
  cache.putNew(record('b'));
  cache.putRecord(record('a', 1));
  cache.putNew(record('c'));
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a')?.record.turn_count, 1);
  assert.notEqual(cache.get('c'), undefined);
});

test('reading a session does not keep it longer: only writes order the cache', () => {
  const cache = new HotSessionCache(2);
  cache.putNew(record('a'));
  cache.putNew(record('b'));
  assert.notEqual(cache.get('a'), undefined);
  cache.putNew(record('c'));
  assert.equal(cache.get('a'), undefined);
  assert.notEqual(cache.get('b'), undefined);
});

test('a rewritten record keeps the turns and input ids already known, and is frozen', () => {
  const cache = new HotSessionCache(4);
  const created = cache.putNew(record('a'));
  created.inputIds?.add('input-1');
  const rewritten = cache.putRecord(record('a', 1));
  assert.equal(rewritten.inputIds?.has('input-1'), true);
  assert.deepEqual(rewritten.turns, []);
  assert.equal(Object.isFrozen(rewritten.record), true);
});
