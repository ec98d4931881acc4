import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAiServer, type ChatRequest } from '../helpers/fake-openai-server.js';
import { interviewModel, roleOf } from '../helpers/fake-interview-model.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';

const LONG_REPLY =
  'Thank you, that is a really interesting story about the migration and I would love to hear much more about how you ' +
  'planned the cut-over, how you kept the old and the new systems consistent during the weeks in between, and what ' +
  'you would do differently if you had to do it all again tomorrow with a team half the size.';

describe('interrupting a reply the model is writing', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let slow = false;

  before(async () => {
    fake = await FakeOpenAiServer.start();
    fake.chatHandler = interviewModel({
      interviewer: () => (slow ? { kind: 'reply', text: `[[FOLLOW_UP]]\n${LONG_REPLY}`, chunkDelayMs: 40 } : undefined),
    });
    viva = await startInProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fake.baseUrl });
  });
  after(async () => {
    await viva?.stop();
    await fake?.close();
  });

  it('aborts the upstream request at once and keeps only the text the candidate saw', async () => {
    const { client } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
    client.send({ type: 'connect', data: { interview: { role: 'Backend Engineer', question_count: 3 } } });
    await client.next('connected');
    await client.answer('Hello', 'hello');

    slow = true;
    client.send({ type: 'text_input', id: 'long', data: { text: 'I migrated our billing from MySQL to Postgres.' } });
    for (let count = 0; count < 4; count += 1) await client.next('ai_response_delta');
    const upstream = fake.chatRequests.at(-1) as ChatRequest;
    assert.equal(roleOf(upstream), 'interviewer');
    const cancelledAt = performance.now();
    client.send({ type: 'cancel' });
    const reply = await client.next('ai_response', (message) => message.reply_to === 'long');
    assert.ok(performance.now() - cancelledAt < 500, 'the cancel is answered at once');
    assert.equal(reply.data.cancelled, true);

    // the model's connection was closed by us, long before the model would have finished
    await upstream.closed;
    assert.equal(upstream.abortedByClient, true);
    const wordsSent = upstream.chunkSentAt.length;
    assert.ok(wordsSent < LONG_REPLY.split(' ').length, `only ${wordsSent} words were generated`);

    const deltas = client.messages.flatMap((message) => (message.type === 'ai_response_delta' && message.data.turn === reply.data.turn ? [message.data.delta] : []));
    assert.ok(reply.data.ai_response.length > 0);
    assert.equal(deltas.join(''), reply.data.ai_response, 'the stored reply is exactly what was streamed');
    assert.ok(LONG_REPLY.startsWith(reply.data.ai_response));
    // a cut-short turn leaves the interview where it was
    assert.equal(reply.data.follow_up, false);
    assert.equal(reply.data.interview.question_number, 1);

    // the next call shows the model only the part that was said, and that it was interrupted
    slow = false;
    const next = await client.answer('Sorry, let me add: we did it with zero downtime.', 'after');
    assert.equal(next.data.cancelled, undefined);
    const followingRequest = fake.chatRequests.at(-1) as ChatRequest;
    const assistantTurns = followingRequest.body.messages.filter((message) => message.role === 'assistant').map((message) => message.content);
    assert.ok(assistantTurns.includes(reply.data.ai_response), 'the partial reply is in the history as it was said');
    assert.ok(!followingRequest.body.messages.some((message) => message.content.includes(LONG_REPLY)), 'the unsaid rest is not');
    assert.ok(followingRequest.body.messages.some((message) => message.role === 'user' && /interrupted you/.test(message.content)));
    client.close();
  });
});
