import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { SpeechRecognizer, TranscribeRequest, Transcription } from '../../src/interview/interview-ports.js';
import { flacPaddingFlood, mp4FreeBoxFlood, oggEmptyPageFlood } from '../helpers/crafted-audio.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { makeSpeech } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';

/** A recognizer that hears the same sentence in anything, and remembers what it was given. */
class EchoRecognizer implements SpeechRecognizer {
  readonly provider = 'test';
  readonly requests: TranscribeRequest[] = [];
  async transcribe(request: TranscribeRequest): Promise<Transcription> {
    this.requests.push(request);
    return { text: 'I shipped the billing service.' };
  }
}

/**
 * Issue 10, item 2: crafted audio (an MP4 `moov` of empty boxes, an Ogg stream of empty pages, FLAC of
 * empty padding blocks) once held the event loop for seconds while it was inspected. Inspection now runs in
 * a worker pool with a time budget; the loop stays free for everyone else.
 */
describe('audio inspection cannot stall the server', () => {
  let server: RunningViva;
  const speech = new EchoRecognizer();
  before(async () => {
    server = await startInProcess(
      { MAX_AUDIO_BYTES: String(8 * 1024 * 1024), RATE_LIMIT_MESSAGES_PER_S: '1000', AUDIO_INSPECTION_TIMEOUT_MS: '1500' },
      { speech },
    );
  });
  after(async () => {
    await server.stop();
  });

  it('answers another client promptly while crafted files are inspected, and refuses them past the budget', async () => {
    const { client: attacker } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/stall-attacker`);
    const { client: candidate } = await TestClient.connect(`${server.wsUrl}/api/v1/ws/stall-candidate`);
    const floods = [mp4FreeBoxFlood(6 * 1024 * 1024), oggEmptyPageFlood(6 * 1024 * 1024), flacPaddingFlood(6 * 1024 * 1024)];
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const roundTrips: number[] = [];
    let pinging = true;
    const pinger = (async () => {
      for (let index = 0; pinging; index += 1) {
        const sent = performance.now();
        candidate.send({ type: 'ping', id: `p${index}` });
        await candidate.next('pong', (message) => message.reply_to === `p${index}`, 60_000);
        roundTrips.push(performance.now() - sent);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    floods.forEach((bytes, index) => attacker.send({ type: 'audio_input', id: `flood-${index}`, data: { audio_data: bytes.toString('base64') } }));
    const answers = await Promise.all(floods.map((_, index) => attacker.next('error', (message) => message.reply_to === `flood-${index}`, 60_000)));
    pinging = false;
    await pinger;
    delay.disable();

    for (const answer of answers) {
      assert.equal(answer.data.code, 'AUDIO_DECODE_ERROR', JSON.stringify(answer));
      assert.match(answer.data.message, /too long|too complex/i);
    }
    assert.ok(roundTrips.length >= 5, `only ${roundTrips.length} pings were answered`);
    const worstPing = Math.max(...roundTrips);
    const worstDelayMs = delay.max / 1e6;
    // decoding a 8 MiB base64 frame on the loop still costs some tens of milliseconds; stalls were seconds
    assert.ok(worstPing < 1_000, `a ping took ${Math.round(worstPing)} ms while crafted audio was inspected`);
    assert.ok(worstDelayMs < 1_000, `the event loop was held for ${Math.round(worstDelayMs)} ms`);
    assert.equal(speech.requests.length, 0, 'nothing crafted reached the recognizer');

    // the pool replaced its stopped workers: real speech still goes through, with its duration
    const wav = await makeSpeech('I shipped the billing service.', 'ogg');
    attacker.send({ type: 'audio_input', id: 'real', data: { audio_data: wav.toString('base64') } });
    const transcription = await attacker.next('transcription', (message) => message.reply_to === 'real', 30_000);
    assert.equal(transcription.data.audio_format, 'ogg');
    assert.ok((transcription.data.duration_ms ?? 0) > 500, JSON.stringify(transcription.data));
    attacker.close();
    candidate.close();
  });

  it('with no recognizer configured, answers STT_UNAVAILABLE without parsing the file', async () => {
    const plain = await startInProcess({ MAX_AUDIO_BYTES: String(8 * 1024 * 1024), AUDIO_INSPECTION_TIMEOUT_MS: '60000' });
    try {
      const { client } = await TestClient.connect(`${plain.wsUrl}/api/v1/ws/no-stt`);
      // the first upload waits for the workers to start; time the second
      client.send({ type: 'audio_input', id: 'warm-up', data: { audio_data: (await makeSpeech('Hello', 'wav')).toString('base64') } });
      assert.equal((await client.next('error', (message) => message.reply_to === 'warm-up', 30_000)).data.code, 'STT_UNAVAILABLE');
      const started = performance.now();
      client.send({ type: 'audio_input', id: 'flood', data: { audio_data: mp4FreeBoxFlood(6 * 1024 * 1024).toString('base64') } });
      const error = await client.next('error', (message) => message.reply_to === 'flood', 30_000);
      assert.equal(error.data.code, 'STT_UNAVAILABLE');
      // a full parse of this file takes seconds; the magic-byte sniff takes milliseconds
      assert.ok(performance.now() - started < 2_000, `took ${Math.round(performance.now() - started)} ms`);
      client.close();
    } finally {
      await plain.stop();
    }
  });
});
