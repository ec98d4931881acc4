import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

const MAX_AUDIO_BYTES = 1024 * 1024;

/**
 * Issue 10, item 5: audio just over MAX_AUDIO_BYTES is answered PAYLOAD_TOO_LARGE with the connection
 * open (the frame limit leaves room for it); a frame over the limit ends with a 1009 the client receives.
 */
describe('frame and audio size limits', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva({ MAX_AUDIO_BYTES: String(MAX_AUDIO_BYTES) });
  });
  after(async () => {
    await server.stop();
  });

  it('leaves the frame limit about twice the largest audio as base64', async () => {
    const { client, connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/limits-0`);
    const base64 = Math.ceil(MAX_AUDIO_BYTES / 3) * 4;
    assert.ok(connected.data.max_message_bytes >= 2 * base64, `max_message_bytes ${connected.data.max_message_bytes}`);
    client.close();
  });

  it('answers audio a fifth over the limit with PAYLOAD_TOO_LARGE and keeps the connection', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/limits-1`);
    const audio = Buffer.alloc(Math.floor(MAX_AUDIO_BYTES * 1.2), 1).toString('base64');
    client.send({ type: 'audio_input', id: 'big-audio', data: { audio_data: audio, audio_format: 'wav' } });
    const error = await client.next('error', (message) => message.reply_to === 'big-audio');
    assert.equal(error.data.code, 'PAYLOAD_TOO_LARGE');
    client.send({ type: 'ping', id: 'after-big' });
    await client.next('pong', (message) => message.reply_to === 'after-big');
    assert.equal(client.closeCode, undefined);
    client.close();
  });

  it('closes a frame above max_message_bytes with a 1009 the client receives', async () => {
    const codes: number[] = [];
    for (const factor of [1.01, 8, 8, 8, 8, 8, 8]) {
      const { client, connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/limits-big-${codes.length}`);
      // a ping first: its pong leaves the server's socket corked when the oversized frame arrives in the
      // same read, and a terminate() then dropped the queued 1009 with it (the client saw 1006)
      client.send({ type: 'ping' });
      client.send('x'.repeat(Math.floor(connected.data.max_message_bytes * factor)));
      codes.push(await client.closed);
    }
    assert.deepEqual(codes, [1009, 1009, 1009, 1009, 1009, 1009, 1009]);
  });
});
