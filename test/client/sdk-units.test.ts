import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_RECONNECT, resolveReconnectOptions } from '@viva/client/backoff.js';
import { bytesToBase64, formatFromMimeType, toAudioPayload } from '@viva/client/audio-input.js';
import { HeartbeatWatchdog } from '@viva/client/heartbeat-watchdog.js';
import { PendingInputs } from '@viva/client/pending-inputs.js';
import { httpUrl, parseServerUrl, socketUrl } from '@viva/client/server-url.js';
import { TypedEvents } from '@viva/client/typed-events.js';

describe('backoff with full jitter', () => {
  const options = resolveReconnectOptions({ initialDelayMs: 100, maxDelayMs: 1_000 });

  it('draws uniformly below min(max, initial * 2^attempt)', () => {
    assert.equal(backoffDelay(0, options, () => 0.999_999), 99);
    assert.equal(backoffDelay(3, options, () => 0.5), 400);
    assert.equal(backoffDelay(4, options, () => 0.999_999), 999);
    assert.equal(backoffDelay(60, options, () => 0.5), 500);
    assert.equal(backoffDelay(10_000, options, () => 0.5), 500);
    assert.equal(backoffDelay(2, options, () => 0), 0);
  });

  it('spreads clients over the whole window', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelay(5, options));
    assert.ok(Math.min(...delays) < 100);
    assert.ok(Math.max(...delays) > 900);
    assert.ok(delays.every((delay) => delay >= 0 && delay < 1_000));
  });

  it('has the documented defaults and refuses nonsense', () => {
    assert.deepEqual({ ...DEFAULT_RECONNECT }, { initialDelayMs: 500, maxDelayMs: 10_000, maxAttempts: Number.POSITIVE_INFINITY });
    assert.deepEqual(resolveReconnectOptions({ maxAttempts: undefined }), { ...DEFAULT_RECONNECT });
    assert.throws(() => resolveReconnectOptions({ initialDelayMs: -1 }), RangeError);
    assert.throws(() => resolveReconnectOptions({ maxDelayMs: Number.NaN }), RangeError);
  });
});

describe('audio to base64', () => {
  it('matches Buffer for every length around the chunk size', () => {
    for (const length of [0, 1, 2, 3, 4, 24_575, 24_576, 24_577, 50_000]) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 31 + 7) % 256);
      assert.equal(bytesToBase64(bytes), Buffer.from(bytes).toString('base64'), `length ${length}`);
    }
  });

  it('encodes megabytes without overflowing the stack', () => {
    const bytes = new Uint8Array(8 * 1024 * 1024).map((_, index) => index % 251);
    assert.equal(bytesToBase64(bytes), Buffer.from(bytes).toString('base64'));
  });

  it('takes Blobs, ArrayBuffers and views of part of a buffer; passes base64 and data URLs through', async () => {
    const bytes = new Uint8Array([82, 73, 70, 70, 1, 2, 3]);
    assert.deepEqual(await toAudioPayload(new Blob([bytes], { type: 'audio/webm;codecs=opus' })), { audio_data: 'UklGRgECAw==', format_hint: 'webm' });
    assert.deepEqual(await toAudioPayload(bytes.buffer), { audio_data: 'UklGRgECAw==', format_hint: undefined });
    assert.equal((await toAudioPayload(bytes.subarray(4))).audio_data, 'AQID');
    assert.equal((await toAudioPayload(new DataView(bytes.buffer, 0, 4))).audio_data, 'UklGRg==');
    assert.deepEqual(await toAudioPayload('UklGRg=='), { audio_data: 'UklGRg==', format_hint: undefined });
    assert.deepEqual(await toAudioPayload('data:audio/ogg;base64,T2dnUw=='), { audio_data: 'data:audio/ogg;base64,T2dnUw==', format_hint: 'ogg' });
    await assert.rejects(toAudioPayload(42 as unknown as string), TypeError);
  });

  it('reads the format from MIME types', () => {
    assert.equal(formatFromMimeType('audio/webm;codecs=opus'), 'webm');
    assert.equal(formatFromMimeType('audio/mpeg'), 'mp3');
    assert.equal(formatFromMimeType('audio/x-wav'), 'wav');
    assert.equal(formatFromMimeType('audio/mp4'), 'mp4');
    assert.equal(formatFromMimeType('video/webm'), 'webm');
    assert.equal(formatFromMimeType('text/plain'), undefined);
    assert.equal(formatFromMimeType(''), undefined);
  });
});

describe('server URLs', () => {
  it('turns a base into the WebSocket endpoint, http into ws', () => {
    const location = parseServerUrl('http://localhost:8000');
    assert.equal(location.socketBase.href, 'ws://localhost:8000/api/v1/ws');
    assert.equal(location.sessionId, undefined);
    assert.equal(socketUrl(location, undefined, {}), 'ws://localhost:8000/api/v1/ws');
    assert.equal(socketUrl(location, 'abc', { token: 't k', resume_from: 4 }), 'ws://localhost:8000/api/v1/ws/abc?token=t+k&resume_from=4');
    assert.equal(parseServerUrl('https://viva.example.com/').socketBase.href, 'wss://viva.example.com/api/v1/ws');
  });

  it('keeps a path prefix and reads a full socket URL', () => {
    const prefixed = parseServerUrl('https://example.com/viva/');
    assert.equal(prefixed.socketBase.href, 'wss://example.com/viva/api/v1/ws');
    assert.equal(httpUrl(prefixed, '/api/v1/interview/a/report'), 'https://example.com/viva/api/v1/interview/a/report');

    const full = parseServerUrl('wss://example.com/viva/api/v1/ws/s_1?token=abc&resume_from=12');
    assert.equal(full.sessionId, 's_1');
    assert.equal(full.resumeFrom, 12);
    assert.equal(socketUrl(full, 's_1', {}), 'wss://example.com/viva/api/v1/ws/s_1?token=abc');
    assert.equal(httpUrl(full, '/api/v1/interview/s_1/report?x=1'), 'https://example.com/viva/api/v1/interview/s_1/report?x=1');
    assert.equal(httpUrl(full, 'https://elsewhere.example/report'), 'https://elsewhere.example/report');
    assert.equal(parseServerUrl('ws://h:1/api/v1/ws').sessionId, undefined);
  });

  it('refuses other schemes', () => {
    assert.throws(() => parseServerUrl('ftp://example.com'), TypeError);
  });
});

describe('heartbeat watchdog', () => {
  it('pings after one silent interval and declares the connection dead only after an unanswered ping', () => {
    let now = 0;
    const calls: string[] = [];
    const watchdog = new HeartbeatWatchdog(1_000, { sendPing: () => calls.push(`ping@${now}`), dead: () => calls.push(`dead@${now}`) }, () => now);
    watchdog.heard();
    now = 999;
    watchdog.check();
    now = 1_000;
    watchdog.check();
    now = 1_500;
    watchdog.heard(); // the pong
    now = 2_400;
    watchdog.check();
    now = 2_500;
    watchdog.check();
    now = 3_499;
    watchdog.check();
    now = 3_500; // two intervals since the pong, one since the unanswered ping
    watchdog.check();
    assert.deepEqual(calls, ['ping@1000', 'ping@2500', 'dead@3500']);
  });

  it('gives a late check (a throttled background tab) one more interval instead of dropping the connection', () => {
    let now = 0;
    const calls: string[] = [];
    const watchdog = new HeartbeatWatchdog(1_000, { sendPing: () => calls.push(`ping@${now}`), dead: () => calls.push(`dead@${now}`) }, () => now);
    now = 60_000;
    watchdog.check();
    now = 60_200;
    watchdog.heard();
    now = 120_000;
    watchdog.check();
    assert.deepEqual(calls, ['ping@60000', 'ping@120000']);
  });
});

describe('pending inputs', () => {
  it('keeps order, completes by reply_to and answer type, and times out', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const pending = new PendingInputs();
      const first = pending.add('a', '{}', 'ai_response', 1_000);
      const second = pending.add('b', '{}', 'interview_ended', Number.POSITIVE_INFINITY);
      assert.deepEqual(pending.values().map((entry) => entry.id), ['a', 'b']);
      const timestamp = new Date().toISOString();
      assert.equal(pending.complete({ type: 'interview_ended', session_id: 's', reply_to: 'a', timestamp, data: { reason: 'completed', report_url: '/r' } }), false);
      mock.timers.tick(1_000);
      await assert.rejects(first.promise, { code: 'TIMEOUT', retryable: true });
      assert.equal(pending.complete({ type: 'interview_ended', session_id: 's', reply_to: 'b', timestamp, data: { reason: 'completed', report_url: '/r' } }), true);
      assert.equal((await second.promise).type, 'interview_ended');
      assert.equal(pending.size, 0);
    } finally {
      mock.timers.reset();
    }
  });
});

describe('typed events', () => {
  it('calls every handler, even after one throws, re-throws that on a fresh task, and unsubscribes', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const events = new TypedEvents<{ tick: (value: number) => void }>();
      const seen: number[] = [];
      events.on('tick', () => {
        throw new Error('handler bug');
      });
      const off = events.on('tick', (value) => seen.push(value));
      events.emit('tick', 1);
      off();
      events.emit('tick', 2);
      assert.deepEqual(seen, [1]);
      assert.throws(() => mock.timers.tick(1), /handler bug/);
    } finally {
      mock.timers.reset();
    }
  });
});
