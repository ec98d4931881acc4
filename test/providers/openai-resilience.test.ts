import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { VivaOverrides } from '../../src/composition-root.js';
import { interviewReportSchema } from '@viva/protocol/interview-schemas.js';
import { FakeOpenAiServer, type ChatRequest } from '../helpers/fake-openai-server.js';
import { interviewModel, planFor, roleOf } from '../helpers/fake-interview-model.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';

interface Setup {
  fake: FakeOpenAiServer;
  viva: RunningViva;
  client: TestClient;
  sessionId: string;
}

/** A server on a fresh fake model (and a fresh circuit breaker), with one connected, configured client. */
async function withModel(
  environment: Record<string, string>,
  test: (setup: Setup) => Promise<void>,
  configure = true,
  overrides: VivaOverrides = {},
): Promise<void> {
  const fake = await FakeOpenAiServer.start();
  fake.chatHandler = interviewModel();
  const viva = await startInProcess({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fake.baseUrl, LLM_MODEL: 'fake-model', ...environment }, overrides);
  const { client, connected } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
  try {
    if (configure) {
      client.send({ type: 'connect', data: { candidate: { name: 'Ada' }, interview: { role: 'Backend Engineer', question_count: 3 } } });
      await client.next('connected');
    }
    await test({ fake, viva, client, sessionId: connected.data.session_id });
  } finally {
    client.close();
    await viva.stop();
    await fake.close();
  }
}

function interviewerRequests(fake: FakeOpenAiServer): ChatRequest[] {
  return fake.chatRequests.filter((request) => roleOf(request) === 'interviewer');
}

async function metricsOf(viva: RunningViva): Promise<string> {
  return (await fetch(`${viva.baseUrl}/metrics`)).text();
}

function deltasOf(client: TestClient, turn: number): string {
  return client.messages.flatMap((message) => (message.type === 'ai_response_delta' && message.data.turn === turn ? [message.data.delta] : [])).join('');
}

const MODEL_GREETING = /^Hello and welcome to the interview\. Model question 1/;

describe('when the model endpoint misbehaves', () => {
  it('waits as a 429 asks (retry-after), then uses the answer of the retry', async () => {
    await withModel({}, async ({ fake, viva, client }) => {
      fake.queueChat({ kind: 'error', status: 429, message: 'Rate limit reached', headers: { 'retry-after': '1' } });
      const reply = await client.answer('Hello', 'h');
      assert.match(reply.data.ai_response, MODEL_GREETING);
      const [first, second] = interviewerRequests(fake);
      assert.ok(first && second);
      assert.ok(second.receivedAt - first.receivedAt >= 950, `retried after ${Math.round(second.receivedAt - first.receivedAt)} ms`);
      const metrics = await metricsOf(viva);
      assert.match(metrics, /viva_provider_retries_total\{provider="openai",model="fake-model",operation="reply"\} 1/);
      assert.match(metrics, /viva_provider_errors_total\{provider="openai",model="fake-model",operation="reply",kind="rate_limited"\} 1/);
      assert.doesNotMatch(metrics, /viva_provider_fallbacks_total\{/);
    });
  });

  it('lets the built-in engine take the turn when the model keeps failing with 500', async () => {
    await withModel({}, async ({ fake, viva, client }) => {
      fake.queueChat(...Array.from({ length: 3 }, () => ({ kind: 'error' as const, status: 500, message: 'upstream exploded' })));
      const reply = await client.answer('Hello', 'h');
      assert.equal(interviewerRequests(fake).length, 3, 'three attempts, then the fallback');
      // the built-in greeting, asking the model's own planned question: the candidate notices nothing
      assert.doesNotMatch(reply.data.ai_response, MODEL_GREETING);
      assert.match(reply.data.ai_response, /Ada/);
      assert.match(reply.data.ai_response, /Model question 1: could you tell me about your background\?/);
      assert.equal(deltasOf(client, reply.data.turn), reply.data.ai_response);
      assert.equal(reply.data.interview.question_number, 1);
      const metrics = await metricsOf(viva);
      assert.match(metrics, /viva_provider_fallbacks_total\{role="interviewer",reason="server_error"\} 1/);
      assert.match(metrics, /viva_provider_errors_total\{provider="openai",model="fake-model",operation="reply",kind="server_error"\} 3/);

      // the model is back: the next turn is its own again, and the interview goes on where it was
      const next = await client.answer('I have spent six years building payment systems in Go and Postgres.', 'a1');
      assert.match(next.data.ai_response, /Model question 2/);
    });
  });

  it('opens the circuit after repeated failures, so later turns do not wait for a dead model', async () => {
    await withModel({}, async ({ fake, viva, client }) => {
      // retry-after: 0 keeps the test quick; the backoff itself is covered by the 500 test and unit tests
      fake.chatHandler = (request) =>
        roleOf(request) === 'interviewer' ? { kind: 'error', status: 503, headers: { 'retry-after': '0' } } : interviewModel()(request);
      for (let turn = 0; turn < 5; turn += 1) await client.answer(turn === 0 ? 'Hello' : `Answer number ${turn} about a project I led.`, `t${turn}`);
      const callsBefore = interviewerRequests(fake).length;
      assert.equal(callsBefore, 15, 'five turns of three attempts each');
      const started = performance.now();
      const reply = await client.answer('Another answer about a project I led.', 't5');
      assert.ok(performance.now() - started < 200, 'the open circuit answers at once');
      assert.equal(interviewerRequests(fake).length, callsBefore, 'no request reached the dead model');
      assert.ok(reply.data.ai_response.length > 0);
      const metrics = await metricsOf(viva);
      assert.match(metrics, /viva_provider_circuit_state\{provider="openai",model="fake-model"\} 2/);
      assert.match(metrics, /viva_provider_fallbacks_total\{role="interviewer",reason="circuit_open"\} 1/);
    });
  });

  it('replaces a hung model before the turn times out, and closes the hung request', async () => {
    await withModel({ LLM_FALLBACK_AFTER_MS: '400', AI_TIMEOUT_MS: '5000' }, async ({ fake, viva, client }) => {
      fake.queueChat({ kind: 'hang' });
      const started = performance.now();
      const reply = await client.answer('Hello', 'h');
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= 380 && elapsed < 2000, `fallback after ${Math.round(elapsed)} ms`);
      assert.match(reply.data.ai_response, /Ada/);
      const hung = interviewerRequests(fake)[0];
      assert.ok(hung);
      await hung.closed;
      assert.equal(hung.abortedByClient, true, 'the hung request was aborted, not left open');
      assert.match(await metricsOf(viva), /viva_provider_fallbacks_total\{role="interviewer",reason="timeout"\} 1/);
    });
  });

  it('reports AI_TIMEOUT when the turn deadline comes first, and aborts the request', async () => {
    await withModel({ LLM_FALLBACK_AFTER_MS: '10000', AI_TIMEOUT_MS: '400' }, async ({ fake, client }) => {
      fake.queueChat({ kind: 'hang' });
      client.send({ type: 'text_input', id: 'h', data: { text: 'Hello' } });
      const error = await client.next('error');
      assert.equal(error.data.code, 'AI_TIMEOUT');
      assert.equal(error.data.retryable, true);
      const hung = interviewerRequests(fake)[0];
      assert.ok(hung);
      await hung.closed;
      assert.equal(hung.abortedByClient, true);
      // nothing was stored: the same input goes through once the model answers again
      const reply = await client.answer('Hello', 'h');
      assert.match(reply.data.ai_response, MODEL_GREETING);
    });
  });

  it('never hangs on a stream cut in the middle: the turn fails, retryable, and succeeds when sent again', async () => {
    await withModel({}, async ({ fake, client }) => {
      fake.queueChat({ kind: 'cut', text: 'Hello and welcome to the interview. Model question 1: could you tell me', afterChunks: 4 });
      client.send({ type: 'text_input', id: 'h', data: { text: 'Hello' } });
      const error = await client.next('error');
      assert.equal(error.data.code, 'AI_BACKEND_ERROR');
      assert.equal(error.data.retryable, true);
      assert.equal(error.reply_to, 'h');
      assert.ok(client.messages.some((message) => message.type === 'ai_response_delta'), 'part of the reply had streamed');
      const reply = await client.answer('Hello', 'h');
      assert.match(reply.data.ai_response, MODEL_GREETING);
      assert.equal(reply.seq, 1, 'the failed turn stored nothing');
    });
  });

  it('retries a stream cut before its first words, unseen by the candidate', async () => {
    await withModel({}, async ({ fake, client }) => {
      fake.queueChat({ kind: 'cut', text: 'never sent', afterChunks: 0 });
      const reply = await client.answer('Hello', 'h');
      assert.match(reply.data.ai_response, MODEL_GREETING);
      assert.equal(interviewerRequests(fake).length, 2);
    });
  });

  it('repairs a plan wrapped in prose and a code fence without asking again', async () => {
    await withModel(
      {},
      async ({ fake, client, viva, sessionId }) => {
        fake.chatHandler = (request) =>
          roleOf(request) === 'planner' ? { kind: 'reply', text: `Sure! Here is the plan:\n\`\`\`json\n${planFor(request).replace(/\}\]\}$/, '},]}')}\n\`\`\`` } : interviewModel()(request);
        client.send({ type: 'connect', data: { interview: { role: 'Backend Engineer', question_count: 3 } } });
        await client.next('connected');
        assert.equal(fake.chatRequests.filter((request) => roleOf(request) === 'planner').length, 1);
        // the whole plan is the hiring team's view; a candidate sees only the questions asked so far
        const session = (await (await fetch(`${viva.baseUrl}/api/v1/interview/${sessionId}`, { headers: { authorization: `Bearer ${viva.adminToken}` } })).json()) as {
          plan: { created_by: string; questions: Array<{ text: string }> };
        };
        assert.equal(session.plan.created_by, 'llm');
        assert.equal(session.plan.questions.length, 3);
      },
      false,
    );
  });

  it('asks once more after malformed plan JSON, then falls back to the built-in plan', async () => {
    await withModel(
      {},
      async ({ fake, client, viva, sessionId }) => {
        fake.queueChat({ kind: 'reply', text: '{"questions": [{"text": "What is your' }, { kind: 'reply', text: '{"questions": []}' });
        client.send({ type: 'connect', data: { interview: { role: 'Backend Engineer', question_count: 3 } } });
        const configured = await client.next('connected');
        assert.equal(configured.data.interview.total_questions, 3);
        const planners = fake.chatRequests.filter((request) => roleOf(request) === 'planner');
        assert.equal(planners.length, 2, 'one repair request, no more');
        assert.equal(planners[0]?.body.response_format?.type, 'json_object');
        const repair = planners[1]?.body.messages.at(-1)?.content ?? '';
        assert.match(repair, /could not be used: the answer is not a JSON object/);
        const session = (await (await fetch(`${viva.baseUrl}/api/v1/interview/${sessionId}`)).json()) as { plan: { created_by: string } };
        assert.equal(session.plan.created_by, 'builtin');
        assert.match(await metricsOf(viva), /viva_provider_fallbacks_total\{role="planner",reason="bad_output"\} 1/);
        // the model still conducts the interview on the built-in plan
        const reply = await client.answer('Hello', 'h');
        assert.match(reply.data.ai_response, /^Hello and welcome to the interview\./);
      },
      false,
    );
  });

  it('uses the plan of the repair request when the second answer is right', async () => {
    await withModel(
      {},
      async ({ fake, client, viva, sessionId }) => {
        fake.queueChat({ kind: 'reply', text: '{"questions": [{"text": "Only one question?"}]}' });
        client.send({ type: 'connect', data: { interview: { role: 'Backend Engineer', question_count: 3 } } });
        await client.next('connected');
        const planners = fake.chatRequests.filter((request) => roleOf(request) === 'planner');
        assert.equal(planners.length, 2);
        assert.match(planners[1]?.body.messages.at(-1)?.content ?? '', /there are 1 questions; exactly 3 are needed/);
        const session = (await (await fetch(`${viva.baseUrl}/api/v1/interview/${sessionId}`)).json()) as { plan: { created_by: string } };
        assert.equal(session.plan.created_by, 'llm');
      },
      false,
    );
  });

  it('writes the heuristic report when the model cannot write one', async () => {
    await withModel({}, async ({ fake, client, viva, sessionId }) => {
      await client.answer('Hello', 'h');
      await client.answer('At my last job I led the migration of our billing service to Postgres, and we cut costs by 30%.', 'a1');
      fake.queueChat({ kind: 'reply', text: 'I think the candidate is great!' }, { kind: 'reply', text: '{"summary": ""}' });
      const ended = await fetch(`${viva.baseUrl}/api/v1/interview/${sessionId}/end`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${viva.adminToken}` },
        body: JSON.stringify({}),
      });
      assert.equal(ended.status, 200);
      const report = interviewReportSchema.parse(await ended.json());
      assert.equal(report.method, 'heuristic');
      assert.equal(fake.chatRequests.filter((request) => roleOf(request) === 'evaluator').length, 2);
      assert.match(await metricsOf(viva), /viva_provider_fallbacks_total\{role="evaluator",reason="bad_output"\} 1/);
    });
  });

  it('logs every model call at debug with the session id, and never the key', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
        done();
      },
    });
    // a plain pino without the server's redaction: what is never logged cannot leak
    const logger = pino({ level: 'debug' }, sink);
    await withModel(
      { LLM_API_KEY: 'sk-do-not-log-me' },
      async ({ fake, client, sessionId }) => {
        fake.queueChat({ kind: 'error', status: 503 });
        await client.answer('Hello', 'h');
        const calls = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'model call');
        assert.deepEqual(
          calls.map((entry) => [entry.operation, entry.outcome, entry.session_id]),
          [
            ['plan', 'ok', sessionId],
            ['reply', 'ok', sessionId],
          ],
        );
        const reply = calls[1] ?? {};
        assert.equal(reply.attempts, 2);
        assert.equal(typeof reply.first_token_ms, 'number');
        assert.equal(typeof reply.output_tokens, 'number');
        assert.ok(lines.some((line) => line.includes('retrying')));
        assert.ok(!lines.some((line) => /sk-do-not-log-me|authorization/i.test(line)), 'no key, no authorization header in any line');
      },
      true,
      { logger },
    );
  });
});
