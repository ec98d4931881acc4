import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Interviewer, RespondRequest, RespondResult } from '../../src/interview/interview-ports.js';
import { createBuiltinEngine } from '../../src/providers/builtin/index.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';

/** The built-in interviewer, failing the first time it is asked. */
class FailsOnceInterviewer implements Interviewer {
  readonly provider = 'fails-once-test';
  private readonly inner = createBuiltinEngine().interviewer;
  calls = 0;

  async respond(request: RespondRequest): Promise<RespondResult> {
    this.calls += 1;
    if (this.calls === 1) throw new Error('the model is down');
    return this.inner.respond(request);
  }
}

describe('the first turn stores the plan with its reply', () => {
  let server: RunningViva;
  const interviewer = new FailsOnceInterviewer();
  before(async () => {
    server = await startInProcess({}, { interviewer });
  });
  after(async () => {
    await server.stop();
  });

  it('a first turn that fails leaves the session as it was; sent again, it is planned and answered once', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/first-turn`);
    client.send({ type: 'text_input', id: 'a-1', data: { text: 'Hello, I am Lin.' } });
    const failed = await client.next('error', (message) => message.reply_to === 'a-1');
    assert.equal(failed.data.code, 'AI_BACKEND_ERROR');
    assert.equal(failed.data.retryable, true);

    const session = async () => (await fetch(`${server.baseUrl}/api/v1/interview/first-turn`)).json() as Promise<{
      interview: { state: string };
      plan: unknown;
      transcript: unknown[];
      last_seq: number;
    }>;
    const untouched = await session();
    assert.equal(untouched.interview.state, 'not_started');
    assert.equal(untouched.plan, null);
    assert.equal(untouched.last_seq, 0);

    const reply = await client.answer('Hello, I am Lin.', 'a-1');
    assert.equal(reply.data.turn, 1);
    assert.equal(reply.seq, 1);
    const planned = await session();
    assert.equal(planned.interview.state, 'in_progress');
    assert.notEqual(planned.plan, null);
    assert.equal(planned.transcript.length, 1);
    client.close();
  });
});
