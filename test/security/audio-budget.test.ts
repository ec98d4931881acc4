import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SpeechRecognizer, TranscribeRequest, Transcription } from '../../src/interview/interview-ports.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { TestClient } from '../helpers/test-client.js';

/** Hears the same sentence in anything, and counts what it was given. */
class EchoRecognizer implements SpeechRecognizer {
  readonly provider = 'test';
  readonly requests: TranscribeRequest[] = [];
  async transcribe(request: TranscribeRequest): Promise<Transcription> {
    this.requests.push(request);
    return { text: 'I shipped the billing service.' };
  }
}

/** A mono 16 kHz PCM16 WAV of about `bytes`, of noise (not silence, which the server would refuse). */
function noiseWav(bytes: number): Buffer {
  const samples = Math.floor((bytes - 44) / 2);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(16_000, 24);
  wav.writeUInt32LE(32_000, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(samples * 2, 40);
  let seed = 7;
  for (let index = 0; index < samples; index += 1) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    wav.writeInt16LE((seed % 16_000) - 8_000, 44 + index * 2);
  }
  return wav;
}

const MIB = 1024 * 1024;
const ATTACKER = '203.0.113.7';
const CANDIDATE = '198.51.100.9';

/**
 * AUDIO_BYTES_PER_IP_PER_MINUTE: an address that sends more audio than its budget gets RATE_LIMITED, with
 * when to retry, before anything is decoded or inspected; its connection stays open, and a candidate at
 * another address is not touched. (TRUST_PROXY lets the test speak from two addresses.)
 */
describe('the audio budget per address', () => {
  let server: RunningViva;
  const speech = new EchoRecognizer();
  before(async () => {
    server = await startInProcess(
      { TRUST_PROXY: 'true', MAX_AUDIO_BYTES: String(MIB), AUDIO_BYTES_PER_IP_PER_MINUTE: String(2 * MIB), RATE_LIMIT_MESSAGES_PER_S: '1000' },
      { speech },
    );
  });
  after(async () => {
    await server.stop();
  });

  it('refuses audio past the budget with RATE_LIMITED and retry_after_ms, keeps the connection, spares other addresses', async () => {
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    const { client: attacker } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/budget-attacker`, from(ATTACKER));
    const large = noiseWav(MIB - 1024).toString('base64'); // about 1.4 MB as base64: decoded off the event loop
    const small = noiseWav(256 * 1024).toString('base64'); // decoded on the event loop, then charged
    const answerTo = (client: TestClient, id: string) =>
      client.next('error', (message) => message.reply_to === id).then(
        (error) => error.data,
        () => undefined,
      );

    // two recordings of about 1 MiB use up the 2 MiB budget
    for (const id of ['a1', 'a2']) {
      attacker.send({ type: 'audio_input', id, data: { audio_data: large } });
      await attacker.next('transcription', (message) => message.reply_to === id);
    }
    attacker.send({ type: 'audio_input', id: 'a3', data: { audio_data: large } });
    const refusedLarge = await answerTo(attacker, 'a3');
    attacker.send({ type: 'audio_input', id: 'a4', data: { audio_data: small } });
    const refusedSmall = await answerTo(attacker, 'a4');
    for (const refused of [refusedLarge, refusedSmall]) {
      assert.equal(refused?.code, 'RATE_LIMITED', JSON.stringify(refused));
      assert.equal(refused.retryable, true);
      assert.equal(refused.details?.reason, 'audio_bytes_per_minute');
      assert.equal(refused.details?.limit_bytes_per_minute, 2 * MIB);
      const retryAfter = Number(refused.details?.retry_after_ms);
      // about a minute's share of the missing bytes: more than nothing, at most the minute
      assert.ok(retryAfter > 0 && retryAfter <= 60_000, String(retryAfter));
    }
    // nothing refused reached the recognizer
    assert.equal(speech.requests.length, 2);

    // the connection is alive and takes text as before
    attacker.send({ type: 'ping', id: 'still-there' });
    await attacker.next('pong', (message) => message.reply_to === 'still-there');
    attacker.send({ type: 'text_input', id: 't1', data: { text: 'Then a typed answer.' } });
    await attacker.next('ai_response', (message) => message.reply_to === 't1');
    assert.equal(attacker.closeCode, undefined);

    // the same address over HTTP: the same budget, a 429
    const http = await fetch(`${server.baseUrl}/api/v1/interview/budget-attacker/process-unified-audio`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ATTACKER },
      body: JSON.stringify({ audio_data: small }),
    });
    assert.equal(http.status, 429);
    assert.ok(Number(http.headers.get('retry-after')) >= 1, String(http.headers.get('retry-after')));
    const body = (await http.json()) as { error: { code: string; details?: Record<string, unknown> } };
    assert.equal(body.error.code, 'RATE_LIMITED');
    assert.equal(body.error.details?.reason, 'audio_bytes_per_minute');

    // a candidate at another address sends the same recording and is answered as usual
    const { client: candidate } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/budget-candidate`, from(CANDIDATE));
    candidate.send({ type: 'audio_input', id: 'c1', data: { audio_data: large } });
    const heard = await candidate.next('transcription', (message) => message.reply_to === 'c1');
    assert.equal(heard.data.text, 'I shipped the billing service.');
    await candidate.next('ai_response', (message) => message.reply_to === 'c1');
    assert.equal(speech.requests.length, 3);
    attacker.close();
    candidate.close();
  });
});
