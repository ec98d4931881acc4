import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';

const API_KEY = 'erase-test-api-key';

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The HTTP status of a WebSocket upgrade (101 when it was accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('error', () => undefined);
  });
}

/**
 * Issue 10, item 8: after DELETE /interview/{id} the session's old token joined and re-created an empty
 * session; and in token mode an API key got a token for any existing session through POST /start.
 */
describe('erased sessions stay erased', () => {
  let server: RunningViva;
  before(async () => {
    server = await startInProcess({ AUTH_MODE: 'token', API_KEYS: API_KEY });
  });
  after(async () => {
    await server.stop();
  });

  const erase = (id: string) =>
    fetch(`${server.baseUrl}/api/v1/interview/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${server.adminToken}` } });

  it('refuses the old token of an erased session, over WebSocket and HTTP, and the id cannot be started again', async () => {
    const started = await (await post(`${server.baseUrl}/api/v1/interview/start`, { session_id: 'erase-token' }, { 'x-api-key': API_KEY })).json();
    const token: string = started.session_token;
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/erase-token?token=${token}`);
    assert.equal((await erase('erase-token')).status, 200);
    assert.equal(await client.closed, 1000);

    assert.equal(await upgradeStatus(`${server.wsUrl}/api/v1/ws/erase-token?token=${token}`), 401);
    const answer = await post(`${server.baseUrl}/api/v1/interview/erase-token/process-unified`, { text: 'hello' }, { 'x-session-token': token });
    assert.equal(answer.status, 404);
    // an API key cannot bring the id back either, with or without the old token
    const attempts: Record<string, string>[] = [{ 'x-api-key': API_KEY }, { 'x-api-key': API_KEY, 'x-session-token': token }];
    for (const headers of attempts) {
      const restart = await post(`${server.baseUrl}/api/v1/interview/start`, { session_id: 'erase-token' }, headers);
      assert.equal(restart.status, 404);
      assert.equal((await restart.json()).error.details?.reason, 'erased');
    }
    assert.equal(await server.viva.app.inject({ method: 'GET', url: '/api/v1/interview/erase-token', headers: { 'x-session-token': token } }).then((r) => r.statusCode), 404);
  });

  it("does not hand an API key a token for someone else's session", async () => {
    const started = await (await post(`${server.baseUrl}/api/v1/interview/start`, { session_id: 'someone-else' }, { 'x-api-key': API_KEY })).json();
    const stolen = await post(`${server.baseUrl}/api/v1/interview/start`, { session_id: 'someone-else' }, { 'x-api-key': API_KEY });
    assert.equal(stolen.status, 401);
    const body = await stolen.json();
    assert.equal(body.error.code, 'UNAUTHORIZED');
    assert.equal(body.session_token, undefined);

    // the session's own token may repeat the start (the answer is the newest reply, as before)
    const repeated = await post(`${server.baseUrl}/api/v1/interview/start`, { session_id: 'someone-else' }, { 'x-api-key': API_KEY, 'x-session-token': started.session_token });
    assert.equal(repeated.status, 201);
    assert.equal((await repeated.json()).turn, started.turn);
    // and a new id is still fine
    assert.equal((await post(`${server.baseUrl}/api/v1/interview/start`, { session_id: 'brand-new' }, { 'x-api-key': API_KEY })).status, 201);
  });

  it('in open mode, does not re-create an erased session when a client connects to it', async () => {
    const open = await startInProcess();
    try {
      const { client } = await TestClient.connect(`${open.wsUrl}/api/v1/ws/open-erased`);
      await client.answer('Hello');
      const erased = await fetch(`${open.baseUrl}/api/v1/interview/open-erased`, { method: 'DELETE', headers: { authorization: `Bearer ${open.adminToken}` } });
      assert.equal(erased.status, 200);
      assert.equal(await client.closed, 1000);

      const again = await TestClient.open(`${open.wsUrl}/api/v1/ws/open-erased`);
      const error = await again.next('error');
      assert.equal(error.data.code, 'SESSION_NOT_FOUND');
      assert.equal(await again.closed, 1000);
      assert.equal((await fetch(`${open.baseUrl}/api/v1/interview/open-erased`)).status, 404);
    } finally {
      await open.stop();
    }
  });
});
