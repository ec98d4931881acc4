import assert from 'node:assert/strict';
import { setImmediate as loopTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { serverMessage, type ServerMessage } from '@viva/protocol/server-messages.js';
import { InstantReplyHold } from './instant-reply-hold.js';

const status = serverMessage('status', 's1', { state: 'thinking' }, { reply_to: 'm1' });
const delta = (text: string) => serverMessage('ai_response_delta', 's1', { turn: 1, delta: text }, { reply_to: 'm1' });

function recorder(): { sent: string[]; send: (message: ServerMessage) => void } {
  const sent: string[] = [];
  return { sent, send: (message) => sent.push(message.type === 'ai_response_delta' ? message.data.delta : message.type) };
}

describe('InstantReplyHold', () => {
  it('holds the pieces of a reply finished before the loop turns until the reply is sent, then sends them in order', async () => {
    const { sent, send } = recorder();
    const hold = new InstantReplyHold(send);
    hold.push(status);
    hold.push(delta('Thanks. '));
    hold.push(delta('Next question?'));
    hold.replyComplete();
    await loopTurn();
    await loopTurn();
    assert.deepEqual(sent, [], 'nothing leaves while the reply is being stored');
    hold.release();
    assert.deepEqual(sent, ['status', 'Thanks. ', 'Next question?']);
    hold.push(delta('late'));
    assert.deepEqual(sent.at(-1), 'late', 'after the release, messages go straight out');
  });

  it('lets a streaming reply stream: what is held leaves when the loop turns, and later pieces at once', async () => {
    const { sent, send } = recorder();
    const hold = new InstantReplyHold(send);
    hold.push(status);
    hold.push(delta('One. '));
    await loopTurn();
    assert.deepEqual(sent, ['status', 'One. ']);
    hold.push(delta('Two.'));
    assert.deepEqual(sent, ['status', 'One. ', 'Two.']);
    hold.replyComplete();
    hold.release();
    assert.deepEqual(sent, ['status', 'One. ', 'Two.'], 'nothing is sent twice');
  });

  it('sends what it holds once, however often it is released (a failed turn releases it too)', () => {
    const { sent, send } = recorder();
    const hold = new InstantReplyHold(send);
    hold.push(status);
    hold.release();
    hold.release();
    assert.deepEqual(sent, ['status']);
  });
});
