import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startViva } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

describe('memory that survives the process', () => {
  it('loses nothing acknowledged when the server is killed with SIGKILL mid-interview', async () => {
    const first = await startViva();
    const databaseUrl = first.databasePath;
    const { client } = await TestClient.connect(`${first.wsUrl}/api/v1/ws/crash-1`);
    client.send({ type: 'connect', data: { candidate: { name: 'Lin' }, interview: { role: 'Frontend Engineer', question_count: 5 } } });
    await client.next('connected');
    const acknowledged = [await client.answer('Hello', 'h')];
    acknowledged.push(await client.answer('I rebuilt our design system in React; for example the date picker, which cut bundle size by 30%.', 'a1'));
    acknowledged.push(await client.answer('I profile first, then fix: we moved to server rendering and the LCP went from 4s to 1.5s.', 'a2'));
    await first.kill();
    await client.closed;

    const second = await startViva({ DATABASE_URL: databaseUrl });
    try {
      const { client: resumed, connected } = await TestClient.connect(`${second.wsUrl}/api/v1/ws/crash-1?resume_from=0`);
      assert.equal(connected.data.resumed, true);
      assert.equal(connected.data.last_seq, 3);
      assert.equal(connected.data.interview.state, 'in_progress');
      const replayed = [await resumed.next('ai_response'), await resumed.next('ai_response'), await resumed.next('ai_response')];
      assert.deepEqual(
        replayed.map((message) => [message.seq, message.data.ai_response]),
        acknowledged.map((message) => [message.seq, message.data.ai_response]),
      );
      // an input acknowledged before the crash and re-sent after it is not answered again
      resumed.send({ type: 'text_input', id: 'a2', data: { text: 'I profile first…' } });
      const again = await resumed.next('ai_response');
      assert.equal(again.seq, 3);
      // the interview continues where it was: no second greeting, the next question
      const next = await resumed.answer('At my last job I mentored two juniors; as a result both led features within three months.', 'a3');
      assert.equal(next.seq, 4);
      assert.doesNotMatch(next.data.ai_response, /welcome|thanks for joining/i);
      assert.equal(next.data.turn, 4);
      const session = await (await fetch(`${second.baseUrl}/api/v1/interview/crash-1`)).json();
      assert.equal(session.candidate.name, 'Lin');
      assert.equal(session.transcript.length, 4);
      resumed.close();
    } finally {
      await second.stop();
    }
  });

  it('shuts down gracefully on SIGTERM: a notice, then close 1012, and the session continues after', async () => {
    const first = await startViva();
    const { client } = await TestClient.connect(`${first.wsUrl}/api/v1/ws/drain-1`);
    await client.answer('Hello');
    const exit = first.stop('SIGTERM');
    const notice = await client.next('notice');
    assert.equal(notice.data.from, 'system');
    assert.equal(notice.seq, 2);
    assert.equal(await client.closed, 1012);
    assert.equal(await exit, 0);

    const second = await startViva({ DATABASE_URL: first.databasePath });
    try {
      const { connected } = await TestClient.connect(`${second.wsUrl}/api/v1/ws/drain-1`);
      assert.equal(connected.data.last_seq, 2);
    } finally {
      await second.stop();
    }
  });
});
