import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

describe('connection lifecycle: resume, idempotency, replacement, heartbeat', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva({ HEARTBEAT_INTERVAL_MS: '300' });
  });
  after(async () => {
    await server.stop();
  });

  it('answers ping with pong and echoes client_time', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/ping-1`);
    client.send({ type: 'ping', id: 'p1', data: { client_time: 1234 } });
    const pong = await client.next('pong');
    assert.equal(pong.data.client_time, 1234);
    assert.equal(pong.reply_to, 'p1');
    assert.ok(!Number.isNaN(Date.parse(pong.data.server_time)));
    assert.equal(pong.seq, undefined, 'pong is not durable');
    client.close();
  });

  it('sends the handshake and `connected` together, in one read of the socket', async () => {
    // a raw client, to see how the bytes arrive: the 101 is held until the session is open, so a
    // connection costs the server one write instead of two
    const socket = connect(server.port, '127.0.0.1');
    socket.write(
      'GET /api/v1/ws/one-write-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const [first] = (await once(socket, 'data')) as [Buffer];
    const text = first.toString('latin1');
    assert.match(text, /^HTTP\/1\.1 101 /);
    assert.match(text, /Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/);
    assert.match(text.slice(text.indexOf('\r\n\r\n')), /"type":"connected"/, 'the connected frame is in the same chunk');
    socket.destroy();
  });

  it('replays every reply generated while the client was away', async () => {
    const sessionId = 'resume-1';
    const { client: first } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/${sessionId}`);
    const greeting = await first.answer('Hello');
    assert.equal(greeting.seq, 1);
    // the client sends an answer and drops before the reply arrives
    first.send({ type: 'text_input', id: 'while-away', data: { text: 'I built a payments API in Go with retries and idempotency keys.' } });
    first.socket.terminate();
    await first.closed;

    // the reply is made while no socket is connected
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { client: second, connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/${sessionId}?resume_from=1`);
    assert.equal(connected.data.resumed, true);
    assert.ok(connected.data.last_seq >= 2);
    const replayed = await second.next('ai_response');
    assert.equal(replayed.seq, 2);
    assert.equal(replayed.reply_to, 'while-away');

    // the same id again: the stored answer, not a second turn
    second.send({ type: 'text_input', id: 'while-away', data: { text: 'I built a payments API in Go with retries and idempotency keys.' } });
    const again = await second.next('ai_response');
    assert.equal(again.seq, 2);
    assert.equal(again.data.ai_response, replayed.data.ai_response);
    const session = await (await fetch(`${server.baseUrl}/api/v1/interview/${sessionId}`)).json();
    assert.equal(session.transcript.length, 2, 'two turns: the greeting and one answer');

    // resume through a connect message too
    second.send({ type: 'connect', data: { resume_from: 0 } });
    await second.next('connected');
    const first1 = await second.next('ai_response');
    const first2 = await second.next('ai_response');
    assert.deepEqual([first1.seq, first2.seq], [1, 2]);
    second.close();
  });

  it('answers an id sent twice at once only once', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/dup-1`);
    await client.answer('Hello');
    client.send({ type: 'text_input', id: 'twice', data: { text: 'I designed the caching layer.' } });
    client.send({ type: 'text_input', id: 'twice', data: { text: 'I designed the caching layer.' } });
    const reply = await client.next('ai_response', (message) => message.reply_to === 'twice');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replies = client.messages.filter((message) => message.type === 'ai_response' && message.reply_to === 'twice');
    assert.ok(replies.every((message) => message.seq === reply.seq), 'any copy carries the same seq');
    const session = await (await fetch(`${server.baseUrl}/api/v1/interview/dup-1`)).json();
    assert.equal(session.transcript.length, 2);
    client.close();
  });

  it('closes the older connection with 4001 when a newer one attaches', async () => {
    const { client: older } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/replace-1`);
    const { client: newer, connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/replace-1`);
    assert.equal(connected.data.resumed, true);
    assert.equal(await older.closed, 4001);
    newer.send({ type: 'ping' });
    await newer.next('pong');
    newer.close();
  });

  it('closes a connection that stops answering pings with 4008', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/silent-1`, { autoPong: false });
    const started = Date.now();
    assert.equal(await client.closed, 4008);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 500 && elapsed < 3_000, `closed after ${elapsed} ms`);
  });

  it('keeps a connection that answers pings alive', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/alive-1`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(client.closeCode, undefined);
    client.close();
  });

  it('closes with 1000 on disconnect and keeps the session', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/bye-1`);
    await client.answer('Hello');
    client.send({ type: 'disconnect', data: { reason: 'done for today' } });
    assert.equal(await client.closed, 1000);
    const { connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/bye-1`);
    assert.equal(connected.data.resumed, true);
    assert.equal(connected.data.last_seq, 1);
    assert.equal(connected.data.session_token, undefined, 'a token only for the connection that created the session');
  });

  it('ends the interview on end_interview and refuses further input', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/end-1`);
    await client.answer('Hello');
    await client.answer('I have five years of backend experience, for example at a bank where I built the ledger.');
    client.send({ type: 'end_interview', id: 'end', data: { reason: 'I have to go' } });
    const ended = await client.next('interview_ended');
    assert.equal(ended.data.reason, 'ended_by_candidate');
    assert.equal(ended.reply_to, 'end');
    client.send({ type: 'end_interview', id: 'end2' });
    assert.equal((await client.next('error')).data.code, 'INTERVIEW_COMPLETED');
    const report = await (await fetch(`${server.baseUrl}${ended.data.report_url}`)).json();
    assert.equal(report.questions[0].answer.includes('ledger'), true);
    client.close();
  });
});

describe('connection lifecycle: a connection that never says anything', () => {
  let server: VivaProcess;
  before(async () => {
    // the idle check rides on the heartbeat sweep (a quarter of the interval)
    server = await startViva({ HEARTBEAT_INTERVAL_MS: '200', IDLE_CONNECT_TIMEOUT_MS: '600' });
  });
  after(async () => {
    await server.stop();
  });

  it('is closed with 1008 once IDLE_CONNECT_TIMEOUT_MS has passed, while one that spoke stays open', async () => {
    const openedAt = Date.now();
    const { client: silent } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/idle-silent`);
    const { client: talker } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/idle-talker`);
    talker.send({ type: 'ping', id: 'p1', data: {} });
    await talker.next('pong');
    const outcome = await Promise.race([silent.closed, new Promise((resolve) => setTimeout(() => resolve('still open after 3 s'), 3_000))]);
    assert.equal(outcome, 1008);
    const closedAfter = Date.now() - openedAt;
    assert.ok(closedAfter >= 600 && closedAfter < 2_000, `closed after ${closedAfter} ms`);
    // well past the limit, the one that spoke is still served
    await new Promise((resolve) => setTimeout(resolve, 600));
    talker.send({ type: 'ping', id: 'p2', data: {} });
    assert.equal((await talker.next('pong')).reply_to, 'p2');
    talker.close();
  });
});
