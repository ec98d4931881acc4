import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import type { Interviewer } from '../../src/interview/interview-ports.js';
import { createBuiltinEngine } from '../../src/providers/builtin/index.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';

const API_KEY = 'test-api-key-5b1f0c9e';

/** The built-in interviewer until `failing` is set; then every answer is a 5xx the server logs. */
const builtin = createBuiltinEngine().interviewer;
let failing = false;
const failingInterviewer: Interviewer = {
  provider: 'failing-test',
  respond: (request) => (failing ? Promise.reject(new Error('the model is down')) : builtin.respond(request)),
};

/** Issue 10, item 6: no credential reaches a log line, whether in a URL, a header or an error. */
describe('secrets in logs', () => {
  const lines: string[] = [];
  let server: RunningViva;
  before(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger('trace', { secrets: [API_KEY, 'test-admin-token'], destination });
    server = await startInProcess({ AUTH_MODE: 'token', API_KEYS: API_KEY, LOG_LEVEL: 'trace' }, { interviewer: failingInterviewer, logger });
  });
  after(async () => {
    await server.stop();
  });

  it('logs a failed request without its ?token=, its headers or the API key', async () => {
    const started = await fetch(`${server.baseUrl}/api/v1/interview/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: '{}',
    });
    assert.equal(started.status, 201);
    const { session_id: sessionId, session_token: token } = (await started.json()) as { session_id: string; session_token: string };
    assert.ok(token.length > 20);
    failing = true;
    const failed = await fetch(`${server.baseUrl}/api/v1/interview/${sessionId}/process-unified?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-session-token': token },
      body: JSON.stringify({ text: `my token is ${token}` }),
    });
    assert.ok(failed.status >= 500, `expected a 5xx, got ${failed.status}`);
    const logged = lines.join('');
    assert.match(logged, /request failed|the model is down/, 'the failure was logged');
    assert.ok(!logged.includes(token), `a session token was logged:\n${logged}`);
    assert.ok(!logged.includes(token.split('.')[2] ?? token), 'the signature of a session token was logged');
    assert.ok(!logged.includes(API_KEY), 'the API key was logged');
    assert.ok(!logged.includes('test-admin-token'), 'the admin token was logged');
  });
});
