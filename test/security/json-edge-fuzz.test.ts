import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { errorCodeList } from '@viva/protocol/error-codes.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';

/** What no answer may leak: a stack frame or a file path of the server. */
const LEAK = /\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules|\/work\/|\/home\/|\/usr\//;

const deepText = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'), fc.boolean())
  .map(([depth, open, closed]) => {
    const close = open === '[' ? ']' : '}';
    return open.repeat(depth) + '1' + (closed ? close.repeat(depth) : '');
  });
const hugeNumber = fc.oneof(
  fc.constantFrom('1e309', '-1e309', '1e-400', '-0', '9007199254740993', '0.' + '0'.repeat(500) + '1'),
  fc.integer({ min: 1, max: 5_000 }).map((digits) => '9'.repeat(digits)),
  fc.double().map(String).filter((text) => text !== 'NaN' && !text.includes('Infinity')),
);
const oddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constantFrom('\uFEFF', '\u2028\u2029', '\uD800', '\uDFFF\uD800', '\u202Eevil', '\u0000', 'e\u0301'.repeat(300), '\u200B'.repeat(2_000)),
);
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((json) => JSON.stringify(json)),
  deepText,
  hugeNumber,
  oddText.map((text) => JSON.stringify(text)),
);
/** A message of a real type, with a field of it (or the whole data) replaced by a hostile value. */
const hostileMessage = fc
  .tuple(
    fc.constantFrom('text_input', 'audio_input', 'connect', 'ping', 'end_interview', 'cancel', '\uD800ping'),
    fc.constantFrom('text', 'context', 'audio_data', 'audio_format', 'language', 'resume_from', 'candidate', 'interview', 'client_time', 'reason'),
    value,
    fc.boolean(),
  )
  .map(([type, field, raw, wholeData]) => `{"type":${JSON.stringify(type)},"id":"fz","data":${wholeData ? raw : `{"text":"hi","${field}":${raw}}`}}`);
const frame = fc.oneof(hostileMessage, value, oddText);

/**
 * The JSON decoders at the edge, WebSocket and HTTP, under generated hostile input: deep nesting, huge
 * numbers, odd unicode, random shapes. Only contract codes come back, never a close, a crash, a 500 or
 * a stack or path in a message.
 */
describe('fuzzing the JSON edge (WebSocket and HTTP)', () => {
  let server: RunningViva;
  before(async () => {
    server = await startInProcess({ RATE_LIMIT_MESSAGES_PER_S: '100000', MAX_QUEUED_INPUTS: '1000', HTTP_RATE_LIMIT_PER_MINUTE: '100000', SESSIONS_PER_IP_PER_MINUTE: '100000' });
  });
  after(async () => {
    await server.stop();
  });

  it('answers every WebSocket frame with contract messages and keeps the connection', async () => {
    const samples = fc.sample(frame, { numRuns: 250, seed: 10 });
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/edge-fuzz`);
    for (const [index, sample] of samples.entries()) {
      client.send(sample);
      client.send({ type: 'ping', id: `fence-${index}` });
      await client.next('pong', (message) => message.reply_to === `fence-${index}`, 5_000);
      assert.equal(client.closeCode, undefined, `closed after frame ${index}: ${sample.slice(0, 200)}`);
    }
    for (const message of client.messages) {
      if (message.type !== 'error') continue;
      assert.ok(errorCodeList.includes(message.data.code), message.data.code);
      assert.notEqual(message.data.code, 'INTERNAL_ERROR', message.data.message);
      assert.doesNotMatch(JSON.stringify(message.data), LEAK);
    }
    client.close();
  });

  it('answers every HTTP body with a contract status and error, never a 500', async () => {
    const started = await fetch(`${server.baseUrl}/api/v1/interview/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { session_id: sessionId } = (await started.json()) as { session_id: string };
    const paths = ['/api/v1/interview/start', `/api/v1/interview/${sessionId}/process-unified`, `/api/v1/interview/${sessionId}/process-unified-audio`, `/api/v1/interview/${sessionId}/end`];
    const bodies = fc.sample(fc.tuple(fc.constantFrom(...paths), fc.oneof(frame, value.map((raw) => `{"text":"hi","context":{"a":${raw}}}`))), { numRuns: 120, seed: 11 });
    for (const [path, body] of bodies) {
      const response = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.text();
      assert.ok(response.status < 500, `${response.status} for ${path} ${body.slice(0, 120)}: ${text.slice(0, 300)}`);
      assert.doesNotMatch(text, LEAK);
      if (response.status >= 400) {
        const error = (JSON.parse(text) as { error: { code: string } }).error;
        assert.ok(errorCodeList.includes(error.code as (typeof errorCodeList)[number]), error.code);
      }
    }
    const health = await fetch(`${server.baseUrl}/health`);
    assert.equal(health.status, 200);
  });
});
