import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';

interface LogLine {
  level: number;
  msg: string;
  edge?: string;
  code?: string;
  status?: number;
  session_id?: string;
}

/**
 * One exit for every error (src/gateway/error-mapping.ts reportError): the same bad input over WebSocket,
 * HTTP and server-sent events is counted once per edge in errors_by_code and logged with the same line.
 */
describe('one error path for every edge', () => {
  const lines: LogLine[] = [];
  let server: RunningViva;

  before(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    server = await startInProcess({}, { logger });
  });
  after(async () => server.stop());

  async function errorsByCode(): Promise<Record<string, number>> {
    const stats = await fetch(`${server.baseUrl}/api/v1/websocket/stats`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    return ((await stats.json()) as { errors_by_code: Record<string, number> }).errors_by_code;
  }

  function answered(edge: string): LogLine[] {
    return lines.filter((line) => line.msg === 'answered with an error' && line.edge === edge);
  }

  it('an answer to an ended interview: INTERVIEW_COMPLETED counted and logged once over WS, HTTP and SSE', async () => {
    const started = await fetch(`${server.baseUrl}/api/v1/interview/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ candidate: { name: 'Ada' } }),
    });
    const { session_id: sessionId } = (await started.json()) as { session_id: string };
    const ended = await fetch(`${server.baseUrl}/api/v1/interview/${sessionId}/end`, { method: 'POST' });
    assert.equal(ended.status, 200);
    const before = (await errorsByCode()).INTERVIEW_COMPLETED ?? 0;
    const turnUrl = `${server.baseUrl}/api/v1/interview/${sessionId}/process-unified`;
    const body = JSON.stringify({ text: 'one more answer' });

    // WebSocket
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/${sessionId}`);
    client.send({ type: 'text_input', id: 'late-1', data: { text: 'one more answer' } });
    const wsError = await client.next('error', (message) => message.reply_to === 'late-1');
    assert.equal(wsError.data.code, 'INTERVIEW_COMPLETED');
    client.socket.close();
    assert.equal((await errorsByCode()).INTERVIEW_COMPLETED, before + 1);

    // HTTP, JSON
    const http = await fetch(turnUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(http.status, 409);
    assert.equal(((await http.json()) as { error: { code: string } }).error.code, 'INTERVIEW_COMPLETED');
    assert.equal((await errorsByCode()).INTERVIEW_COMPLETED, before + 2);

    // HTTP, server-sent events
    const sse = await fetch(turnUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body });
    const events = await sse.text();
    assert.match(events, /^event: error\ndata: .*"code":"INTERVIEW_COMPLETED"/m);
    assert.equal((await errorsByCode()).INTERVIEW_COMPLETED, before + 3);

    const logged = ['websocket', 'http', 'sse'].map((edge) => answered(edge).filter((line) => line.code === 'INTERVIEW_COMPLETED'));
    for (const [index, edgeLines] of logged.entries()) assert.equal(edgeLines.length, 1, `edge ${index} logged once`);
    const [ws, httpLine, sseLine] = logged.map((edgeLines) => edgeLines[0]);
    // the same line: level, message, code, status and session, whatever the edge
    const shape = (line: LogLine | undefined) => ({ level: line?.level, msg: line?.msg, code: line?.code, status: line?.status, session_id: line?.session_id });
    assert.deepEqual(shape(ws), { level: 20, msg: 'answered with an error', code: 'INTERVIEW_COMPLETED', status: 409, session_id: sessionId });
    assert.deepEqual(shape(httpLine), shape(ws));
    assert.deepEqual(shape(sseLine), shape(ws));
  });

  it('statuses that differ from the registry travel on the error: an unknown route is 404, counted and logged', async () => {
    const before = (await errorsByCode()).INVALID_MESSAGE ?? 0;
    const response = await fetch(`${server.baseUrl}/api/v1/no-such-route`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'INVALID_MESSAGE');
    assert.equal((await errorsByCode()).INVALID_MESSAGE, before + 1);
    assert.ok(answered('http').some((line) => line.code === 'INVALID_MESSAGE' && line.status === 404));
  });
});

/** Failures that reach no client are not swallowed: the coordinator logs them through its Logger port. */
describe('failures nobody waits for are logged', () => {
  const lines: LogLine[] = [];
  let server: RunningViva;

  before(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    const evaluator = {
      provider: 'broken',
      evaluate: async (): Promise<never> => {
        throw new Error('the evaluator is down');
      },
    };
    server = await startInProcess({}, { logger, evaluator });
  });
  after(async () => server.stop());

  it('a report that could not be written after the last answer', async () => {
    const { client, connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws`);
    const sessionId = connected.data.session_id;
    client.send({ type: 'connect', data: { interview: { role: 'Backend Engineer', question_count: 1 } } });
    await client.next('connected');
    let state = 'in_progress';
    for (let turn = 0; turn < 12 && state !== 'completed'; turn += 1) {
      client.send({ type: 'text_input', id: `a-${turn}`, data: { text: 'I designed the queue with idempotent consumers; for example, retries never doubled a payment.' } });
      const reply = await client.next('ai_response', (message) => message.reply_to === `a-${turn}`);
      state = reply.data.interview.state;
    }
    assert.equal(state, 'completed');
    const ended = await client.next('interview_ended');
    assert.equal(ended.data.report_url, `/api/v1/interview/${sessionId}/report`, 'the route the edge passed in');
    const deadline = Date.now() + 10_000;
    const logged = () => lines.find((line) => line.msg === 'could not write the interview report' && line.session_id === sessionId);
    while (logged() === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(logged()?.level, 40, 'logged at warn');
    client.socket.close();
  });
});
