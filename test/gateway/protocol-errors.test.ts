import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { makeSpeech } from '../helpers/speech-fixtures.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { TestClient } from '../helpers/test-client.js';

/** Every bad input of docs/protocol.md §3-§4 gets its code and reply_to, and the connection stays usable. */
describe('bad input over WebSocket', () => {
  let server: VivaProcess;
  before(async () => {
    server = await startViva({ MAX_AUDIO_BYTES: '200000', MAX_MESSAGE_BYTES: '400000', RATE_LIMIT_MESSAGES_PER_S: '1000' });
  });
  after(async () => {
    await server.stop();
  });

  async function expectError(client: TestClient, frame: unknown, code: string, replyTo?: string) {
    client.send(frame);
    const error = await client.next('error');
    assert.equal(error.data.code, code, JSON.stringify(error));
    assert.equal(error.reply_to, replyTo);
    assert.equal(typeof error.data.message, 'string');
    assert.doesNotMatch(error.data.message, /at .*\.ts:\d+|node_modules|\/src\//, 'no stack traces or paths');
    assert.equal(typeof error.data.retryable, 'boolean');
    // still alive and still the same session
    client.send({ type: 'ping', id: `after-${code}` });
    const pong = await client.next('pong');
    assert.equal(pong.reply_to, `after-${code}`);
    return error;
  }

  it('answers each malformed message with its exact code', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/errors-1`);
    await expectError(client, '{not json', 'INVALID_JSON');
    await expectError(client, '[1,2,3]', 'INVALID_MESSAGE');
    await expectError(client, '"text"', 'INVALID_MESSAGE');
    await expectError(client, { data: { text: 'no type' } }, 'INVALID_MESSAGE');
    await expectError(client, { type: 'launch_rockets', id: 'u1' }, 'UNKNOWN_TYPE', 'u1');
    const empty = await expectError(client, { type: 'text_input', id: 'e1', data: { text: '   ' } }, 'INVALID_MESSAGE', 'e1');
    assert.equal(empty.data.details?.field, 'data.text');
    await expectError(client, { type: 'text_input', id: 'e2', data: {} }, 'INVALID_MESSAGE', 'e2');
    await expectError(client, { type: 'text_input', id: 'e3', data: { text: 'x'.repeat(10_001) } }, 'INVALID_MESSAGE', 'e3');
    await expectError(client, { type: 'text_input', id: 'e4', data: { text: 'hi', context: { blob: 'y'.repeat(9000) } } }, 'INVALID_MESSAGE', 'e4');
    await expectError(client, { type: 'text_input', id: 'x'.repeat(65), data: { text: 'hi' } }, 'INVALID_MESSAGE');
    await expectError(client, { type: 'text_input', data: 'not an object' }, 'INVALID_MESSAGE');
    await expectError(client, { type: 'connect', id: 'c1', data: { resume_from: -1 } }, 'INVALID_MESSAGE', 'c1');
    await expectError(client, { type: 'connect', id: 'c2', data: { interview: { language: 'fr' } } }, 'INVALID_MESSAGE', 'c2');

    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await client.next('error')).data.code, 'UNSUPPORTED_FRAME');
    client.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    assert.equal((await client.next('error')).data.code, 'INVALID_JSON');

    // nothing above changed the session
    const session = await (await fetch(`${server.baseUrl}/api/v1/interview/errors-1`)).json();
    assert.equal(session.last_seq, 0);
    assert.equal(session.transcript.length, 0);
    client.close();
  });

  it('checks audio: base64, format from the bytes, size, and no recognizer configured', async () => {
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/errors-audio`);
    await expectError(client, { type: 'audio_input', id: 'a1', data: { audio_data: '' } }, 'AUDIO_DECODE_ERROR', 'a1');
    await expectError(client, { type: 'audio_input', id: 'a2', data: { audio_data: 'not base64 at all!!' } }, 'AUDIO_DECODE_ERROR', 'a2');
    await expectError(client, { type: 'audio_input', id: 'a3', data: { audio_data: 'data:audio/webm;base64,' } }, 'AUDIO_DECODE_ERROR', 'a3');
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    await expectError(client, { type: 'audio_input', id: 'a4', data: { audio_data: png.toString('base64'), audio_format: 'wav' } }, 'UNSUPPORTED_AUDIO_FORMAT', 'a4');
    const tooLarge = Buffer.alloc(250_000, 1).toString('base64');
    await expectError(client, { type: 'audio_input', id: 'a5', data: { audio_data: tooLarge } }, 'PAYLOAD_TOO_LARGE', 'a5');

    const speech = await makeSpeech('I led the migration to Kubernetes.', 'wav');
    client.send({ type: 'audio_input', id: 'a6', data: { audio_data: speech.toString('base64'), audio_format: 'mp3' } });
    const transcribing = await client.next('status');
    assert.equal(transcribing.data.state, 'transcribing');
    const unavailable = await client.next('error');
    assert.equal(unavailable.data.code, 'STT_UNAVAILABLE');
    assert.equal(unavailable.reply_to, 'a6');
    assert.equal(unavailable.data.retryable, false);

    const dataUrl = `data:audio/webm;codecs=opus;base64,${(await makeSpeech('Hello there', 'webm')).toString('base64')}`;
    client.send({ type: 'audio_input', id: 'a7', data: { audio_data: dataUrl } });
    assert.equal((await client.next('error')).data.code, 'STT_UNAVAILABLE');
    client.close();
  });

  it('closes with 1009 for a frame above max_message_bytes', async () => {
    const { client, connected } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/errors-big`);
    assert.equal(connected.data.max_message_bytes, 400_000);
    client.send({ type: 'text_input', data: { text: 'z'.repeat(500_000) } });
    assert.equal(await client.closed, 1009);
  });

  it('refuses a malformed session id at the upgrade with HTTP 400', async () => {
    for (const id of ['bad$id', 'x'.repeat(129), 'with%20space']) {
      const status = await new Promise<number>((resolve) => {
        const socket = new WebSocket(`${server.wsUrl}/api/v1/ws/${id}`);
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => resolve(101));
        socket.on('error', () => undefined);
      });
      assert.equal(status, 400, id);
    }
  });

  it('rate-limits a flooding connection, then closes it with 1008', async () => {
    const limited = await startViva({ RATE_LIMIT_MESSAGES_PER_S: '5', RATE_LIMIT_FLOOD_MS: '500' });
    try {
      const { client } = await TestClient.connect(`${limited.wsUrl}/api/v1/ws/flood`);
      for (let index = 0; index < 15; index += 1) client.send({ type: 'ping', id: `p${index}` });
      const error = await client.next('error');
      assert.equal(error.data.code, 'RATE_LIMITED');
      assert.equal(error.data.retryable, true);
      // a flood that goes on (here past RATE_LIMIT_FLOOD_MS=500) is closed; a burst would only be refused
      for (let round = 0; round < 100 && client.closeCode === undefined; round += 1) {
        for (let index = 0; index < 20; index += 1) client.send({ type: 'ping' });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(await client.closed, 1008);
    } finally {
      await limited.stop();
    }
  });
});
