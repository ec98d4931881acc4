import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conversationOf } from './conversation-history.js';
import type { StoredTurn } from './session-store.js';

function storedTurn(turn: number, extra: Partial<StoredTurn> = {}): StoredTurn {
  return {
    turn,
    input_id: turn === 1 ? null : `input-${turn}`,
    input_kind: turn === 1 ? 'start' : 'text',
    candidate_text: turn === 1 ? null : `answer ${turn}`,
    reply: `reply ${turn}`,
    follow_up: false,
    cancelled: false,
    created_at: '2026-12-05T00:00:00.000Z',
    ...extra,
  };
}

test('conversationOf: each turn in order, what the candidate said and the reply', () => {
  assert.deepEqual(conversationOf([storedTurn(1), storedTurn(2, { cancelled: true })]), [
    { candidate: null, interviewer: 'reply 1', cancelled: false },
    { candidate: 'answer 2', interviewer: 'reply 2', cancelled: true },
  ]);
  assert.deepEqual(conversationOf([]), []);
});

test('conversationOf: a spoken reply cut short counts for what was heard of it, and says so', () => {
  const history = conversationOf([
    storedTurn(2, { heard_text: 'Could you tell me', interrupted: true }),
    storedTurn(3, { heard_text: null, interrupted: true }),
    // heard_text without interrupted is not a barge-in: the whole reply stands
    storedTurn(4, { heard_text: 'ignored', interrupted: false }),
  ]);
  assert.deepEqual(history, [
    { candidate: 'answer 2', interviewer: 'Could you tell me', cancelled: false, interrupted: true },
    { candidate: 'answer 3', interviewer: '', cancelled: false, interrupted: true },
    { candidate: 'answer 4', interviewer: 'reply 4', cancelled: false },
  ]);
  assert.equal(Object.hasOwn(history[2] ?? {}, 'interrupted'), false);
});
