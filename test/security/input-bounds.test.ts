import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

/** `{"a":[[[…]]]}` nested `depth` arrays deep: 10 KB that used to overflow the stack in a zod refinement. */
function deepContext(depth: number): string {
  return `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/**
 * Issue 10, item 1: JSON nested deeper than the server's bound is refused with INVALID_MESSAGE (WebSocket)
 * or 400 (HTTP) before any recursive work; the process survives and the connection stays open.
 */
describe('deeply nested JSON', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva();
  });
  after(async () => {
    await server.stop();
  });

  for (const type of ['text_input', 'audio_input'] as const) {
    it(`answers a ${type} whose context nests 4,500 arrays deep with INVALID_MESSAGE and keeps the connection`, async () => {
      const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/deep-${type}`);
      const data = type === 'text_input' ? '"text":"hello"' : '"audio_data":"AAAA"';
      client.send(`{"type":"${type}","id":"deep-1","data":{${data},"context":${deepContext(4_500)}}}`);
      // refused before parsing, so the id is not known: no reply_to
      const error = await client.next('error');
      assert.equal(error.data.code, 'INVALID_MESSAGE');
      assert.doesNotMatch(error.data.message, /RangeError|stack|\.ts:/);
      client.send({ type: 'ping', id: 'after-deep' });
      await client.next('pong', (message) => message.reply_to === 'after-deep');
      assert.equal(client.closeCode, undefined);
      assert.equal(server.child.exitCode, null, `the server exited: ${server.stderr()}`);
      client.close();
    });
  }

  it('refuses nesting far past the bound anywhere in a frame, even a million brackets, without closing', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/deep-raw`);
    client.send(`{"type":"ping","id":"deep-2","data":{"client_time":${'['.repeat(1_000_000)}}}`);
    const error = await client.next('error');
    assert.equal(error.data.code, 'INVALID_MESSAGE');
    client.send({ type: 'ping', id: 'after-raw' });
    await client.next('pong', (message) => message.reply_to === 'after-raw');
    assert.equal(client.closeCode, undefined);
    client.close();
  });

  it('answers the same body over HTTP with 400 INVALID_MESSAGE', async () => {
    const started = await fetch(`${server.baseUrl}/api/v1/interview/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { session_id: sessionId } = (await started.json()) as { session_id: string };
    const response = await fetch(`${server.baseUrl}/api/v1/interview/${sessionId}/process-unified`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"text":"hello","context":${deepContext(4_500)}}`,
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'INVALID_MESSAGE');
    const health = await fetch(`${server.baseUrl}/health`);
    assert.equal(health.status, 200);
  });
});
