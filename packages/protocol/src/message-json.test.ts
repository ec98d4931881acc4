import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataJsonOf, messageJson, rememberDataJson } from './message-json.js';

describe('messageJson', () => {
  it('is plain JSON.stringify for a message whose data was not remembered', () => {
    const message = { type: 'pong', session_id: 's', timestamp: 't', data: { server_time: 'x' } };
    assert.equal(messageJson(message), JSON.stringify(message));
    assert.equal(dataJsonOf(message), JSON.stringify(message.data));
  });

  it('splices in the remembered data, so what is sent is what was stored', () => {
    const message = { type: 'ai_response', session_id: 's', seq: 3, timestamp: 't', reply_to: 'c-1', data: { ai_response: 'Hi' } };
    rememberDataJson(message, '{"ai_response":"stored"}');
    assert.deepEqual(JSON.parse(messageJson(message)), { ...message, data: { ai_response: 'stored' } });
    assert.equal(dataJsonOf(message), '{"ai_response":"stored"}');
  });
});
