import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SpeechRecognizer, Transcription } from '../../src/interview/interview-ports.js';
import type { AudioFormat } from '@viva/protocol/client-messages.js';
import { errorCodeList } from '@viva/protocol/error-codes.js';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import { flacPaddingFlood, mp4FreeBoxFlood, oggEmptyPageFlood } from '../helpers/crafted-audio.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { makeSpeech, missingSpeechTools } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';

class FixedRecognizer implements SpeechRecognizer {
  readonly provider = 'test';
  async transcribe(): Promise<Transcription> {
    return { text: 'I moved the reports to a queue.' };
  }
}

const FORMATS: readonly AudioFormat[] = ['wav', 'mp3', 'm4a', 'webm', 'ogg', 'flac'];
/** The `error` or `ai_response` answering input `id`, whichever comes. */
function answerTo(client: TestClient, id: string): Promise<ServerMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.socket.off('message', listen);
      reject(new Error(`no answer to ${id}`));
    }, 30_000);
    const listen = (raw: Buffer) => {
      const message = JSON.parse(raw.toString()) as ServerMessage;
      if (message.reply_to !== id || (message.type !== 'error' && message.type !== 'ai_response')) return;
      clearTimeout(timer);
      client.socket.off('message', listen);
      resolve(message);
    };
    client.socket.on('message', listen);
  });
}

const LEAK = /at .*\.[jt]s:\d+|node_modules|\/src\/|\/work\/|Error:|TypeError|RangeError/;

/**
 * Issue 10: mutated real audio (truncations, byte flips, spliced box/page/block floods) through
 * `audio_input` over a real socket and through the HTTP audio route (base64 JSON and multipart). Every
 * answer is a contract code or a normal turn; the connection stays open; no message shows a stack or a path.
 */
describe('fuzzing audio uploads', () => {
  let server: RunningViva;
  const seeds = new Map<AudioFormat, Buffer>();
  before(async () => {
    server = await startInProcess(
      { MAX_AUDIO_BYTES: String(1024 * 1024), RATE_LIMIT_MESSAGES_PER_S: '1000', MAX_QUEUED_INPUTS: '100', AUDIO_INSPECTION_TIMEOUT_MS: '500' },
      { speech: new FixedRecognizer() },
    );
    for (const format of FORMATS) {
      if ((await missingSpeechTools(format)) === undefined) seeds.set(format, await makeSpeech('I moved the reports to a queue.', format));
    }
  });
  after(async () => {
    await server.stop();
  });

  function mutation(): fc.Arbitrary<(bytes: Buffer) => Buffer> {
    return fc.oneof(
      fc.double({ min: 0, max: 1, noNaN: true }).map((fraction) => (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length * fraction))),
      fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }).map(
        (flips) => (bytes: Buffer) => {
          const copy = Buffer.from(bytes);
          for (const [where, value] of flips) copy[Math.min(copy.length - 1, Math.floor(where * copy.length))] = value;
          return copy;
        },
      ),
      fc.constantFrom(mp4FreeBoxFlood, oggEmptyPageFlood, flacPaddingFlood).map((flood) => (bytes: Buffer) => Buffer.concat([bytes.subarray(0, 64), flood(256 * 1024), bytes.subarray(64)])),
      fc.constantFrom(mp4FreeBoxFlood, oggEmptyPageFlood, flacPaddingFlood).map((flood) => () => flood(600 * 1024)),
      fc.constant((bytes: Buffer) => bytes),
    );
  }

  function assertContractAnswer(code: unknown, message: unknown, where: string): void {
    assert.ok(typeof code === 'string' && (errorCodeList as readonly string[]).includes(code), `${where}: ${String(code)}`);
    assert.notEqual(code, 'INTERNAL_ERROR', `${where}: an internal error`);
    assert.ok(typeof message === 'string' && !LEAK.test(message), `${where}: leaks internals: ${String(message)}`);
  }

  it('answers mutated audio with contract codes, over WebSocket and HTTP, and never closes', async (t) => {
    if (seeds.size === 0) return t.skip('no speech tools');
    const sample = fc.sample(fc.tuple(fc.constantFrom(...seeds.keys()), mutation(), fc.constantFrom('ws', 'json', 'multipart')), { numRuns: 36, seed: 10 });
    const { client } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/audio-fuzz`);
    const start = await (await fetch(`${server.baseUrl}/api/v1/interview/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    const httpUrl = `${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified-audio`;
    const seen = new Set<string>();
    for (const [index, [format, mutate, route]] of sample.entries()) {
      const bytes = mutate(seeds.get(format) ?? Buffer.alloc(0));
      const where = `sample ${index} (${format}, ${route}, ${bytes.length} bytes)`;
      if (route === 'ws') {
        const id = `f${index}`;
        client.send({ type: 'audio_input', id, data: { audio_data: bytes.toString('base64') } });
        const answer = await answerTo(client, id);
        if (answer.type === 'error') {
          assertContractAnswer(answer.data.code, answer.data.message, where);
          seen.add(answer.data.code);
        } else {
          seen.add('turn');
        }
        assert.equal(client.closeCode, undefined, `${where}: the connection was closed`);
      } else {
        const body = route === 'json' ? JSON.stringify({ audio_data: bytes.toString('base64') }) : (() => {
          const form = new FormData();
          form.append('audio', new Blob([new Uint8Array(bytes)]), `answer.${format}`);
          return form;
        })();
        const response = await fetch(httpUrl, { method: 'POST', body, ...(route === 'json' ? { headers: { 'content-type': 'application/json' } } : {}) });
        const answer = await response.json();
        if (response.status === 200) seen.add('turn');
        else {
          assertContractAnswer(answer.error?.code, answer.error?.message, where);
          seen.add(answer.error.code);
        }
      }
    }
    // the crafted floods and broken files were refused, and intact files still went through
    assert.ok(seen.has('AUDIO_DECODE_ERROR') || seen.has('UNSUPPORTED_AUDIO_FORMAT'), [...seen].join(', '));
    assert.ok(seen.has('turn'), [...seen].join(', '));
    client.send({ type: 'ping', id: 'still-there' });
    await client.next('pong', (message) => message.reply_to === 'still-there');
    client.close();
  });
});
