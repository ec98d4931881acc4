import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

const secret = 'test-secret-for-forging-only';

function sign(sessionId: string, expiry: number, key = secret): string {
  return `v1.${expiry}.${createHmac('sha256', key).update(`${sessionId}\n${expiry}`).digest('base64url')}`;
}

function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => undefined);
  });
}

describe('token auth mode and origin checks', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva({
      AUTH_MODE: 'token',
      API_KEYS: 'key-one,key-two',
      SESSION_TOKEN_SECRET: secret,
      ALLOWED_ORIGINS: 'https://app.example.com',
    });
  });
  after(async () => {
    await server.stop();
  });

  async function start(): Promise<{ session_id: string; session_token: string }> {
    const response = await fetch(`${server.baseUrl}/api/v1/interview/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'key-two' },
      body: JSON.stringify({ candidate: { name: 'Tok' } }),
    });
    assert.equal(response.status, 201);
    return response.json();
  }

  it('creates sessions only with an API key', async () => {
    const refused = await fetch(`${server.baseUrl}/api/v1/interview/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error.code, 'UNAUTHORIZED');
    const wrongKey = await fetch(`${server.baseUrl}/api/v1/interview/start`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'key-three' }, body: '{}' });
    assert.equal(wrongKey.status, 401);
    assert.equal(await upgradeStatus(`${server.wsUrl}/api/v1/ws`), 401, 'no anonymous sessions over WebSocket');
  });

  it('opens the WebSocket with the session token, and refuses forged, expired and foreign tokens alike', async () => {
    const { session_id: sessionId, session_token: token } = await start();
    const { client, connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/${sessionId}?token=${encodeURIComponent(token)}`);
    assert.equal(connected.data.session_id, sessionId);
    client.close();

    const other = await start();
    const now = Math.floor(Date.now() / 1000);
    const attempts = {
      none: `${server.wsUrl}/api/v1/ws/${sessionId}`,
      garbage: `${server.wsUrl}/api/v1/ws/${sessionId}?token=garbage`,
      forged: `${server.wsUrl}/api/v1/ws/${sessionId}?token=${sign(sessionId, now + 3600, 'another-secret')}`,
      expired: `${server.wsUrl}/api/v1/ws/${sessionId}?token=${sign(sessionId, now - 10)}`,
      foreign: `${server.wsUrl}/api/v1/ws/${sessionId}?token=${other.session_token}`,
      unknownSession: `${server.wsUrl}/api/v1/ws/no-such-session?token=${other.session_token}`,
    };
    for (const [name, url] of Object.entries(attempts)) assert.equal(await upgradeStatus(url), 401, name);
    // a valid signature with a future expiry is what the server itself issues
    assert.equal(await upgradeStatus(`${server.wsUrl}/api/v1/ws/${sessionId}?token=${sign(sessionId, now + 60)}`), 101);
  });

  it('guards the session HTTP routes with the same token, without revealing which sessions exist', async () => {
    const { session_id: sessionId, session_token: token } = await start();
    const other = await start();
    const get = (id: string, bearer?: string) =>
      fetch(`${server.baseUrl}/api/v1/interview/${id}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    assert.equal((await get(sessionId, token)).status, 200);
    assert.equal((await get(sessionId)).status, 401);
    assert.equal((await get(sessionId, other.session_token)).status, 401, 'another session’s token');
    const unknown = await get('does-not-exist', token);
    assert.equal(unknown.status, 401, 'an unknown session looks like a wrong token');
    const answer = await fetch(`${server.baseUrl}/api/v1/interview/${sessionId}/process-unified`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-token': token },
      body: JSON.stringify({ text: 'I have built APIs for six years.' }),
    });
    assert.equal(answer.status, 200);
  });

  it('accepts only allowed origins for WebSocket upgrades', async () => {
    const { session_id: sessionId, session_token: token } = await start();
    const url = `${server.wsUrl}/api/v1/ws/${sessionId}?token=${token}`;
    assert.equal(await upgradeStatus(url, { origin: 'https://evil.example.com' }), 403);
    assert.equal(await upgradeStatus(url, { origin: 'https://app.example.com.evil.net' }), 403);
    assert.equal(await upgradeStatus(url, { origin: 'https://app.example.com' }), 101);
  });

  it('sends security headers and no CORS by default, and never a stack trace', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/interview/x/process-unified`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example.com' },
      body: '{"text":',
    });
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const text = await response.text();
    assert.doesNotMatch(text, /node_modules|\.ts:\d+|at [A-Za-z.]+ \(/);
  });
});
