import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { interviewReportSchema } from '@viva/protocol/interview-schemas.js';
import { serverMessageSchema } from '@viva/protocol/server-messages.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

const richAnswer =
  'At my last company I led the migration of our billing service to an event-driven design. For example, ' +
  'I split the monolith into three services, added idempotent consumers, and as a result we cut failed ' +
  'payments by 40% and reduced p99 latency from 900 ms to 200 ms. I learned to measure before optimizing.';

describe('a text interview over WebSocket, started as a user starts the server', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva();
  });
  after(async () => {
    await server.stop();
  });

  it('greets, asks questions, ends by itself and writes a report', async () => {
    const { client, connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws`);
    const sessionId = connected.data.session_id;
    assert.match(sessionId, /^[A-Za-z0-9_-]{1,128}$/);
    assert.equal(connected.data.resumed, false);
    assert.equal(connected.data.protocol, 1);
    assert.equal(connected.data.last_seq, 0);
    assert.equal(connected.data.interview.state, 'not_started');
    assert.equal(typeof connected.data.session_token, 'string');

    client.send({ type: 'connect', data: { candidate: { name: 'Ada' }, interview: { role: 'Backend Engineer', level: 'senior', question_count: 3 } } });
    const configured = await client.next('connected');
    assert.equal(configured.data.interview.state, 'in_progress');
    assert.equal(configured.data.interview.total_questions, 3);

    client.send({ type: 'text_input', id: 'hello', data: { text: "Hello, I'm ready for the interview." } });
    const thinking = await client.next('status');
    assert.equal(thinking.data.state, 'thinking');
    assert.equal(thinking.reply_to, 'hello');
    const greeting = await client.next('ai_response');
    assert.equal(greeting.reply_to, 'hello');
    assert.equal(greeting.seq, 1);
    assert.equal(greeting.data.turn, 1);
    assert.match(greeting.data.ai_response, /Ada/);
    assert.equal(greeting.data.interview.question_number, 1);
    assert.equal(typeof greeting.data.latency_ms.ai, 'number');
    // the deltas of the turn, in order, make up the reply
    const deltas = client.messages.filter((message) => message.type === 'ai_response_delta' && message.data.turn === 1);
    assert.equal(deltas.map((message) => (message.type === 'ai_response_delta' ? message.data.delta : '')).join(''), greeting.data.ai_response);

    let ended = false;
    const questions = new Set<string>([greeting.data.ai_response]);
    for (let turn = 0; turn < 12 && !ended; turn += 1) {
      const reply = await client.answer(richAnswer, `answer-${turn}`);
      assert.ok(reply.seq !== undefined && reply.seq > 1);
      assert.ok(!questions.has(reply.data.ai_response), 'the interviewer never repeats itself');
      questions.add(reply.data.ai_response);
      ended = reply.data.interview.state === 'completed';
    }
    assert.ok(ended, 'the interview ends by itself when its questions are done');
    const endedMessage = await client.next('interview_ended');
    assert.equal(endedMessage.data.reason, 'completed');
    assert.equal(endedMessage.data.report_url, `/api/v1/interview/${sessionId}/report`);

    for (const message of client.messages) assert.doesNotThrow(() => serverMessageSchema.parse(message), JSON.stringify(message));
    const seqs = client.messages.flatMap((message) => (message.seq === undefined ? [] : [message.seq]));
    assert.deepEqual(seqs, seqs.map((_seq, index) => index + 1), 'seq starts at 1 and has no gaps');

    const response = await fetch(`${server.baseUrl}${endedMessage.data.report_url}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    assert.equal(response.status, 200);
    const report = interviewReportSchema.parse(await response.json());
    assert.equal(report.method, 'heuristic');
    assert.equal(report.candidate.name, 'Ada');
    assert.equal(report.questions.length, 3);
    assert.ok(report.questions.every((question) => question.answer.length > 0));

    client.send({ type: 'text_input', id: 'late', data: { text: 'One more thing' } });
    const refused = await client.next('error');
    assert.equal(refused.data.code, 'INTERVIEW_COMPLETED');
    assert.equal(refused.reply_to, 'late');
    client.close();
  });

  it('answers the client of the original design (fixed session_id in messages, reads data.ai_response)', async () => {
    const client = await TestClient.open(`${server.wsUrl}/api/v1/ws`);
    client.send({ type: 'text_input', session_id: 'test_session', data: { text: "Hello, I'm ready for the interview." } });
    const connected = await client.next('connected');
    const reply = await client.next('ai_response');
    assert.equal(reply.session_id, connected.data.session_id, 'the connection session wins over the message field');
    assert.ok(reply.data.ai_response.length > 20);
    client.close();
  });

  it('speaks Chinese when asked', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/zh-session-1`);
    client.send({ type: 'connect', data: { interview: { role: '后端工程师', language: 'zh', question_count: 2 } } });
    await client.next('connected');
    const greeting = await client.answer('你好，我准备好了。');
    assert.match(greeting.data.ai_response, /[\u4e00-\u9fff]/);
    client.close();
  });
});
