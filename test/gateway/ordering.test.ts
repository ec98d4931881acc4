import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Interviewer, RespondRequest, RespondResult } from '../../src/interview/interview-ports.js';
import { createBuiltinEngine } from '../../src/providers/builtin/index.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';

/** The built-in interviewer, slowed down and streaming word by word, so that turns overlap. */
class SlowInterviewer implements Interviewer {
  readonly provider = 'slow-test';
  private readonly inner = createBuiltinEngine().interviewer;
  /** Replies being written right now, and the most there ever were at once. */
  active = 0;
  maxActive = 0;
  constructor(private readonly wordDelayMs: number) {}

  async respond(request: RespondRequest): Promise<RespondResult> {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await this.write(request);
    } finally {
      this.active -= 1;
    }
  }

  private async write(request: RespondRequest): Promise<RespondResult> {
    const result = await this.inner.respond({ ...request, onDelta: undefined });
    const words = result.reply.split(/(?<= )/);
    let sent = '';
    for (const word of words) {
      if (request.abortSignal?.aborted) return { ...result, reply: sent, cancelled: true };
      await new Promise((resolve) => setTimeout(resolve, this.wordDelayMs));
      request.onDelta?.(word);
      sent += word;
    }
    return result;
  }
}

describe('per-session ordering, the queue, BUSY and cancel', () => {
  let server: RunningViva;
  const interviewer = new SlowInterviewer(15);
  before(async () => {
    server = await startInProcess({ MAX_QUEUED_INPUTS: '2' }, { interviewer });
  });
  after(async () => {
    await server.stop();
  });

  it('processes a session strictly in order, queues, and refuses past the queue limit with BUSY', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/order-1`);
    for (const id of ['q1', 'q2', 'q3', 'q4']) client.send({ type: 'text_input', id, data: { text: `answer ${id}, for example with a result.` } });
    const busy = await client.next('error');
    assert.equal(busy.data.code, 'BUSY');
    assert.equal(busy.reply_to, 'q4');
    assert.equal(busy.data.retryable, true);
    const replies = [await client.next('ai_response'), await client.next('ai_response'), await client.next('ai_response')];
    assert.deepEqual(replies.map((message) => message.reply_to), ['q1', 'q2', 'q3']);
    const queued = client.messages.filter((message) => message.type === 'status' && message.data.state === 'queued');
    assert.deepEqual(queued.map((message) => message.reply_to), ['q2', 'q3']);
    // every message of a turn comes before any of the next
    const turnOf = (message: (typeof client.messages)[number]) =>
      message.type === 'ai_response_delta' || message.type === 'ai_response' ? message.data.turn : undefined;
    const turns = client.messages.map(turnOf).filter((turn): turn is number => turn !== undefined);
    assert.deepEqual(turns, [...turns].sort((a, b) => a - b));
    client.close();
  });

  it('runs different sessions concurrently', async () => {
    const clients = await Promise.all(['par-1', 'par-2', 'par-3'].map(async (id) => (await TestClient.connect(`${server.wsUrl}/api/v1/ws/${id}`)).client));
    interviewer.maxActive = 0;
    await Promise.all(clients.map((client) => client.answer('Hello')));
    assert.equal(interviewer.maxActive, 3, 'the three sessions were answered at the same time, not one after another');
    for (const client of clients) client.close();
  });

  it('cancel stops the reply: the final ai_response holds the text so far and cancelled: true', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/cancel-1`);
    client.send({ type: 'text_input', id: 'long', data: { text: 'Hello' } });
    await client.next('ai_response_delta');
    await client.next('ai_response_delta');
    client.send({ type: 'cancel' });
    const reply = await client.next('ai_response');
    assert.equal(reply.data.cancelled, true);
    const deltas = client.messages.filter((message) => message.type === 'ai_response_delta');
    assert.equal(deltas.map((message) => (message.type === 'ai_response_delta' ? message.data.delta : '')).join(''), reply.data.ai_response);
    // cancel with nothing running does nothing
    client.send({ type: 'cancel' });
    client.send({ type: 'ping', id: 'still-here' });
    assert.equal((await client.next('pong')).reply_to, 'still-here');
    client.close();
  });
});
