import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startViva } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

describe('a crash in the middle of a burst', () => {
  it('SIGKILL during 100 concurrent turns: every acknowledged turn survives, none is doubled, every client resumes', async () => {
    const count = 100;
    const first = await startViva({ MAX_CONNECTIONS_PER_IP: '1000', SESSIONS_PER_IP_PER_MINUTE: '1000' });
    const ids = Array.from({ length: count }, (_value, index) => `burst-${index}`);
    const clients = await Promise.all(ids.map(async (id) => (await TestClient.connect(`${first.wsUrl}/api/v1/ws/${id}`)).client));
    await Promise.all(clients.map((client) => client.answer('Hello', 'greet')));

    const acknowledged = new Map<string, number>();
    const killed = new Promise<void>((resolve) => {
      clients.forEach((client, index) => {
        const sessionId = ids[index] ?? '';
        client.send({ type: 'text_input', id: 'burst', data: { text: `Answer of ${sessionId}: for example I shipped it, and the result was good.` } });
        client
          .next('ai_response', (message) => message.reply_to === 'burst', 30_000)
          .then((message) => {
            acknowledged.set(sessionId, message.seq ?? -1);
            if (acknowledged.size === 20) resolve();
          })
          .catch(() => undefined);
      });
    });
    await killed;
    await first.kill();
    const acknowledgedAtCrash = new Map(acknowledged);
    assert.ok(acknowledgedAtCrash.size >= 20);

    const second = await startViva({ DATABASE_URL: first.databasePath, MAX_CONNECTIONS_PER_IP: '1000', SESSIONS_PER_IP_PER_MINUTE: '1000' });
    try {
      await Promise.all(
        ids.map(async (sessionId, index) => {
          const old = clients[index];
          const lastSeq = Math.max(0, ...(old?.messages ?? []).map((message) => message.seq ?? 0));
          const { client, connected } = await TestClient.connect(`${second.wsUrl}/api/v1/ws/${sessionId}?resume_from=${lastSeq}`);
          assert.equal(connected.data.resumed, true);
          // the client does not know whether its answer got through: it sends it again with its id
          client.send({ type: 'text_input', id: 'burst', data: { text: `Answer of ${sessionId}: for example I shipped it, and the result was good.` } });
          const reply = await client.next('ai_response', (message) => message.reply_to === 'burst');
          const before = acknowledgedAtCrash.get(sessionId);
          if (before !== undefined) assert.equal(reply.seq, before, `${sessionId}: the acknowledged reply is the one replayed`);
          const session = await (await fetch(`${second.baseUrl}/api/v1/interview/${sessionId}`)).json();
          assert.equal(session.transcript.length, 2, `${sessionId}: greeting and one answer, never two`);
          assert.match(session.transcript[1].candidate, new RegExp(`Answer of ${sessionId}:`));
          client.close();
        }),
      );
    } finally {
      await second.stop();
    }
  });
});
