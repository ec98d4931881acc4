import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';

interface Refusal {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code?: string } };
}

/** Opens a WebSocket and returns the HTTP answer if the upgrade is refused (null if it is accepted). */
function attempt(url: string): Promise<Refusal | null> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) as Refusal['body'] }));
    });
    socket.on('open', () => {
      socket.close();
      resolve(null);
    });
    socket.on('error', reject);
  });
}

// the gateway takes upgrades on the raw server, outside Fastify: its refusals must look like Fastify's
describe('WebSocket upgrade refusals', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva();
  });
  after(async () => {
    await server.stop();
  });

  it('refuses a bad session id with 400 and the contract body, percent-decoded like a route parameter', async () => {
    for (const id of ['has%20space', 'a'.repeat(129), 'a'.repeat(300), 'bad%zz']) {
      const refusal = await attempt(`${server.wsUrl}/api/v1/ws/${id}`);
      assert.equal(refusal?.status, 400, id);
      assert.equal(refusal.body.error?.code, 'INVALID_MESSAGE', id);
      assert.match(String(refusal.headers['content-type']), /^application\/json/);
      assert.equal(refusal.headers['x-content-type-options'], 'nosniff');
    }
    assert.equal(await attempt(`${server.wsUrl}/api/v1/ws/good-id%5F1`), null, 'an encoded valid id is accepted');
  });

  it('answers an upgrade to any other path with 404', async () => {
    for (const path of ['/api/v1/wsx', '/api/v1/ws/a/b', '/health', '/api/v1/ws/']) {
      const refusal = await attempt(`${server.wsUrl}${path}`);
      assert.equal(refusal?.status, 404, path);
      assert.equal(refusal.body.error?.code, 'INVALID_MESSAGE', path);
    }
    // the server goes on taking connections and plain requests
    assert.equal(await attempt(`${server.wsUrl}/api/v1/ws`), null);
    assert.equal((await fetch(`${server.baseUrl}/health`)).status, 200);
  });
});
