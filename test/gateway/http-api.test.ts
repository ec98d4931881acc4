import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { interviewReportSchema } from '@viva/protocol/interview-schemas.js';
import { makeSpeech } from '../helpers/speech-fixtures.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

describe('HTTP API sharing sessions with the WebSocket', () => {
  let server: VivaProcess;
  const json = (body: unknown, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const admin = () => ({ authorization: `Bearer ${server.adminToken}` });

  before(async () => {
    server = await startViva();
  });
  after(async () => {
    await server.stop();
  });

  it('starts an interview, takes text turns, and pushes them to the live socket', async () => {
    const started = await fetch(
      `${server.baseUrl}/api/v1/interview/start`,
      json({ candidate: { name: 'Grace' }, interview: { role: 'Data Scientist', level: 'mid', question_count: 2 } }),
    );
    assert.equal(started.status, 201);
    const start = await started.json();
    assert.match(start.session_id, /^[A-Za-z0-9_-]+$/);
    assert.equal(typeof start.session_token, 'string');
    assert.match(start.ai_response, /Grace/);
    assert.equal(start.interview.state, 'in_progress');
    assert.equal(start.ws_url, `${server.wsUrl}/api/v1/ws/${start.session_id}`);

    const { client, connected } = await TestClient.connect(`${start.ws_url}?resume_from=0`);
    assert.equal(connected.data.resumed, true);
    assert.equal((await client.next('ai_response')).data.ai_response, start.ai_response, 'the greeting is durable, seq 1');

    const answered = await fetch(
      `${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified`,
      json({ text: 'I built a churn model with gradient boosting; for example it lifted retention by 5%.', id: 'h1' }),
    );
    assert.equal(answered.status, 200);
    const turn = await answered.json();
    assert.equal(turn.session_id, start.session_id);
    assert.equal(turn.seq, 2);
    assert.equal(turn.turn, 2);
    assert.equal(typeof turn.ai_response, 'string');
    const pushed = await client.next('ai_response');
    assert.equal(pushed.seq, 2);
    assert.equal(pushed.data.ai_response, turn.ai_response);

    // and the other way round: a WebSocket turn is visible over HTTP
    await client.answer('I validate with a holdout set and A/B tests; the result was a 3% lift in conversions.');
    const session = await (await fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}`)).json();
    assert.equal(session.transcript.length, 3);
    assert.equal(session.plan.questions.length, 2);
    assert.equal(session.candidate.name, 'Grace');

    const again = await (await fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified`, json({ text: 'ignored', id: 'h1' }))).json();
    assert.equal(again.seq, 2, 'a repeated id gets the stored answer');

    // the hiring team's view: a candidate gets the summary without scores (recruiting-api.test.ts)
    const ended = await fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}/end`, json({}, admin()));
    assert.equal(ended.status, 200);
    const report = interviewReportSchema.parse(await ended.json());
    assert.equal(report.session_id, start.session_id);
    assert.ok(report.overall_score >= 1 && report.overall_score <= 5);
    assert.ok(['strong_yes', 'yes', 'lean_no', 'no'].includes(report.recommendation));

    const html = await fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}/report`, { headers: { accept: 'text/html', ...admin() } });
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await html.text(), /<html[\s\S]*Grace/);

    const late = await fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified`, json({ text: 'more' }));
    assert.equal(late.status, 409);
    assert.equal((await late.json()).error.code, 'INTERVIEW_COMPLETED');
    client.close();
  });

  it('answers audio with STT_UNAVAILABLE (503) after checking it, as JSON and as multipart', async () => {
    const start = await (await fetch(`${server.baseUrl}/api/v1/interview/start`, json({}))).json();
    const speech = await makeSpeech('My name is Alan', 'wav');
    const asJson = await fetch(
      `${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified-audio`,
      json({ audio_data: speech.toString('base64') }),
    );
    assert.equal(asJson.status, 503);
    assert.equal((await asJson.json()).error.code, 'STT_UNAVAILABLE');

    const form = new FormData();
    form.append('audio', new Blob([new Uint8Array(speech)], { type: 'audio/wav' }), 'answer.wav');
    const asForm = await fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified-audio`, { method: 'POST', body: form });
    assert.equal(asForm.status, 503);

    const bad = new FormData();
    bad.append('audio', new Blob([new TextEncoder().encode('hello world, not audio')], { type: 'audio/wav' }), 'answer.wav');
    const unsupported = await fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified-audio`, { method: 'POST', body: bad });
    assert.equal(unsupported.status, 415);
    assert.equal((await unsupported.json()).error.code, 'UNSUPPORTED_AUDIO_FORMAT');
  });

  it('answers bad requests with the error format of the contract', async () => {
    const missing = await fetch(`${server.baseUrl}/api/v1/interview/nobody-here/process-unified`, json({ text: 'hi' }));
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error.code, 'SESSION_NOT_FOUND');

    const start = await (await fetch(`${server.baseUrl}/api/v1/interview/start`, json({}))).json();
    const empty = await fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified`, json({ text: '' }));
    assert.equal(empty.status, 400);
    const body = await empty.json();
    assert.equal(body.error.code, 'INVALID_MESSAGE');
    assert.equal(body.error.details.field, 'text');

    const broken = await fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text": ',
    });
    assert.equal(broken.status, 400);
    assert.equal((await broken.json()).error.code, 'INVALID_JSON');

    const badId = await fetch(`${server.baseUrl}/api/v1/interview/bad$id`);
    assert.equal(badId.status, 400);
  });

  it('guards the management API with the admin token', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/websocket/stats'],
      ['GET', '/api/v1/websocket/sessions'],
      ['GET', '/api/v1/websocket/sessions/x'],
      ['POST', '/api/v1/websocket/sessions/x/message'],
      ['POST', '/api/v1/websocket/broadcast'],
    ] as const) {
      const none = await fetch(`${server.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{"message":"x"}' : undefined });
      assert.equal(none.status, 401, `${method} ${path}`);
      assert.equal((await none.json()).error.code, 'UNAUTHORIZED');
      const wrong = await fetch(`${server.baseUrl}${path}`, { method, headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
    }
  });

  it('lists sessions, sends a message to one, broadcasts to all', async () => {
    const { client: one } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/mgmt-one`);
    const { client: two } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/mgmt-two`);
    await one.answer('Hello');

    const stats = await (await fetch(`${server.baseUrl}/api/v1/websocket/stats`, { headers: admin() })).json();
    assert.ok(stats.connections_active >= 2);
    assert.ok(stats.sessions_total >= 2);
    assert.ok(stats.sessions_active >= 2);
    assert.ok(stats.messages_in >= 1);
    assert.ok(stats.messages_out >= 3);
    assert.equal(typeof stats.uptime_s, 'number');
    assert.equal(typeof stats.errors_by_code, 'object');
    assert.ok(Array.isArray(stats.nodes) && stats.nodes.length === 1);

    const list = await (await fetch(`${server.baseUrl}/api/v1/websocket/sessions`, { headers: admin() })).json();
    const entry = list.sessions.find((session: { session_id: string }) => session.session_id === 'mgmt-one');
    assert.ok(entry, 'the connected session is listed');
    assert.equal(typeof entry.connected_at, 'string');
    assert.equal(typeof entry.last_activity_at, 'string');
    assert.equal(entry.remote_address, '127.0.0.1');
    assert.equal(entry.interview.state, 'in_progress');
    assert.equal(typeof entry.node, 'string');

    const detail = await (await fetch(`${server.baseUrl}/api/v1/websocket/sessions/mgmt-one`, { headers: admin() })).json();
    assert.equal(detail.connection.session_id, 'mgmt-one');
    assert.equal(detail.transcript.length, 1);

    const sent = await fetch(`${server.baseUrl}/api/v1/websocket/sessions/mgmt-one/message`, json({ message: 'Five minutes left', data: { minutes: 5 } }, admin()));
    assert.equal(sent.status, 200);
    const delivery = await sent.json();
    assert.equal(delivery.delivered, true);
    const notice = await one.next('notice');
    assert.equal(notice.data.message, 'Five minutes left');
    assert.equal(notice.data.from, 'admin');
    assert.deepEqual(notice.data.data, { minutes: 5 });
    assert.equal(notice.seq, delivery.seq);

    const broadcast = await (await fetch(`${server.baseUrl}/api/v1/websocket/broadcast`, json({ message: 'Maintenance at noon' }, admin()))).json();
    assert.ok(broadcast.recipients >= 2);
    assert.equal((await one.next('notice')).data.message, 'Maintenance at noon');
    assert.equal((await two.next('notice')).data.message, 'Maintenance at noon');

    // a message to a session with no live connection waits for its resume
    two.close();
    await two.closed;
    const queued = await (await fetch(`${server.baseUrl}/api/v1/websocket/sessions/mgmt-two/message`, json({ message: 'Welcome back' }, admin()))).json();
    assert.equal(queued.delivered, false);
    const { client: back } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/mgmt-two?resume_from=${queued.seq - 1}`);
    assert.equal((await back.next('notice')).data.message, 'Welcome back');

    const unknown = await fetch(`${server.baseUrl}/api/v1/websocket/sessions/nobody/message`, json({ message: 'hi' }, admin()));
    assert.equal(unknown.status, 404);
    one.close();
    back.close();
  });

  it('serves health, readiness, metrics and the OpenAPI docs', async () => {
    assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200);
    const ready = await fetch(`${server.baseUrl}/ready`);
    assert.equal(ready.status, 200);
    assert.equal((await ready.json()).store, 'ok');
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    for (const name of ['viva_connections_active', 'viva_messages_in_total', 'viva_messages_out_total', 'viva_errors_total', 'viva_turn_latency_seconds_bucket']) {
      assert.match(metrics, new RegExp(name));
    }
    assert.match(metrics, /viva_turn_latency_seconds_bucket\{[^}]*stage="ai"/);
    const docs = await fetch(`${server.baseUrl}/docs/json`);
    assert.equal(docs.status, 200);
    const openapi = await docs.json();
    assert.ok(openapi.paths['/api/v1/interview/start']);
    assert.ok(openapi.paths['/api/v1/interview/{id}/process-unified']);
    assert.ok(openapi.paths['/api/v1/websocket/broadcast']);
    assert.equal((await fetch(`${server.baseUrl}/docs`)).status, 200);
  });
});
