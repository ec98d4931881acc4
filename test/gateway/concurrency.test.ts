import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startViva } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

describe('many sessions at once', () => {
  it('runs 200 concurrent sessions without cross-talk', async () => {
    const server = await startViva({ MAX_CONNECTIONS_PER_IP: '1000', SESSIONS_PER_IP_PER_MINUTE: '1000' });
    try {
      const sessions = Array.from({ length: 200 }, (_value, index) => `crowd-${index}`);
      const clients = await Promise.all(sessions.map(async (id) => (await TestClient.connect(`${server.wsUrl}/api/v1/ws/${id}`)).client));
      await Promise.all(
        clients.map(async (client, index) => {
          const id = sessions[index] ?? '';
          const greeting = await client.answer(`Hello, I am candidate number ${index}`, `${id}-0`);
          assert.equal(greeting.session_id, id);
          const reply = await client.answer(`I am candidate ${index}; for example I shipped feature ${index}, and as a result revenue grew.`, `${id}-1`);
          assert.equal(reply.session_id, id);
          assert.equal(reply.reply_to, `${id}-1`);
          assert.equal(reply.seq, 2);
        }),
      );
      for (const [index, client] of clients.entries()) {
        const id = sessions[index];
        assert.ok(client.messages.every((message) => message.session_id === id), `only ${id}'s messages reached its socket`);
        client.close();
      }
      const turns = await Promise.all(
        sessions.slice(0, 20).map(async (id) => (await (await fetch(`${server.baseUrl}/api/v1/interview/${id}`)).json()).transcript),
      );
      for (const [index, transcript] of turns.entries()) {
        assert.match(transcript[1].candidate, new RegExp(`candidate ${index};`));
      }
    } finally {
      await server.stop();
    }
  });
});
