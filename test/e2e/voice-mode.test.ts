import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { makeSpeech, missingSpeechTools } from '../helpers/speech-fixtures.js';
import { temporaryDirectory } from '../helpers/temporary-directory.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { fakeMicrophoneArgs, launchChromium, saveScreenshot, watchPageErrors } from './browser.js';
import { savedSession, startInterview } from './candidate-page.js';
import { ensureWebBuild } from './web-build.js';

const run = promisify(execFile);

const SPOKEN = 'I led the migration of our billing service to Postgres with zero downtime.';
/**
 * Silence before the speech and after it, seconds. After: longer than the end-of-turn silence (800 ms), and
 * short enough that the loop speaks again while the reply still plays: the loop's next words come about
 * 1.9 s after the end of the turn, and the shortest reply of the built-in interviewer is over 3 s of the
 * fake voice, which starts well under a second after the end of the turn.
 */
const LEAD_SILENCE_S = 1;
const TRAIL_SILENCE_S = 2.5;

let viva: VivaProcess | undefined;
/** A server with neither a recognizer nor a voice. */
let textOnlyServer: VivaProcess | undefined;
let fake: FakeOpenAiServer | undefined;
let browser: Browser | undefined;
let skipReason: string | undefined;
/** Length of the spoken answer without its padding, seconds. */
let speechSeconds = 0;

function waitFor<T>(find: () => T | undefined, timeoutMs: number): Promise<T> {
  return waitForAsync(() => Promise.resolve(find()), timeoutMs);
}

async function waitForAsync<T>(find: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

before(async () => {
  skipReason = await missingSpeechTools('wav');
  if (skipReason !== undefined) return;
  await ensureWebBuild();
  fake = await FakeOpenAiServer.start();
  fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN });
  viva = await startViva({
    SERVE_WEB_APP: 'true',
    STT_PROVIDER: 'openai',
    STT_BASE_URL: fake.baseUrl,
    STT_API_KEY: 'test',
    TTS_PROVIDER: 'openai',
    TTS_BASE_URL: fake.baseUrl,
    TTS_API_KEY: 'test',
  });
  // Chromium's fake capture device plays this file as the microphone, in a loop: 16-bit PCM WAV, with
  // silence around the speech so that the server's VAD ends the turn before the loop speaks again
  const directory = temporaryDirectory('viva-e2e-voice-');
  const speech = join(directory, 'speech.wav');
  const padded = join(directory, 'answer.wav');
  const spoken = await makeSpeech(SPOKEN, 'wav', { sampleRate: 48_000 });
  speechSeconds = (spoken.length - 44) / 2 / 48_000;
  await writeFile(speech, spoken);
  await run('sox', ['-D', speech, '-b', '16', padded, 'pad', String(LEAD_SILENCE_S), String(TRAIL_SILENCE_S)]);
  browser = await launchChromium(fakeMicrophoneArgs(padded));
  textOnlyServer = await startViva({ SERVE_WEB_APP: 'true', STT_PROVIDER: 'none', TTS_PROVIDER: 'none' });
});

after(async () => {
  await browser?.close();
  await viva?.stop();
  await textOnlyServer?.stop();
  await fake?.close();
});

test('hands-free: a spoken answer becomes the candidate’s message and the interviewer answers aloud', async (t) => {
  if (skipReason !== undefined || viva === undefined || browser === undefined || fake === undefined) return t.skip(skipReason);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  // the §9 messages the page sends, as the server gets them
  const sent: { type: string; data: Record<string, unknown> }[] = [];
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => {
      if (typeof frame.payload === 'string') sent.push(JSON.parse(frame.payload) as (typeof sent)[number]);
    });
  });
  await startInterview(page, viva.baseUrl, { name: 'Grace Hopper', role: 'Backend engineer', level: 'senior', questions: 3 });

  // capabilities: both speech input and output, so hands-free and push-to-talk are offered, voice is on
  const handsFree = page.getByRole('button', { name: 'Hands-free' });
  const voiceOutput = page.getByRole('button', { name: 'Interviewer’s voice' });
  await handsFree.waitFor();
  assert.equal(await voiceOutput.getAttribute('aria-pressed'), 'true', 'the interviewer’s voice is on by default');
  assert.equal(await page.getByRole('button', { name: 'Hold to talk' }).isVisible(), true, 'push-to-talk stays');
  const outputOnly = sent.find((message) => message.type === 'voice_start');
  assert.deepEqual(outputOnly?.data, { input: null, output: { format: 'pcm16' } });

  // switched on from the keyboard
  await handsFree.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.voice-toggle[aria-pressed="true"] [data-i18n="voice.handsFree"]') !== null);
  assert.equal(await page.getByRole('button', { name: 'Hold to talk' }).isVisible(), false, 'push-to-talk is put away while hands-free is on');
  assert.equal(await page.getByRole('button', { name: 'Mute' }).isVisible(), true);
  const streaming = sent.filter((message) => message.type === 'voice_start').at(-1);
  assert.deepEqual(streaming?.data, {
    input: { format: 'pcm16', sample_rate: 16_000, turn_detection: { type: 'server_vad' } },
    output: { format: 'pcm16' },
  });

  // the interim transcript shows as a live caption while the candidate speaks
  const caption = page.locator('.voice-caption[aria-live="polite"]');
  await caption.filter({ hasText: SPOKEN }).waitFor();
  await saveScreenshot(page, 'candidate-voice-mode-desktop');

  // the end of the turn was found by the server: the words are the candidate's message, and a reply follows
  await page.locator('.message-candidate:not(.is-pending)', { hasText: SPOKEN }).waitFor();
  await page.locator('.message-interviewer:not(.is-streaming)').nth(1).waitFor();
  // the reply was spoken: its audio reached Web Audio (an AudioBufferSourceNode started for that turn)
  await page.locator('.voice-panel[data-voice-played-turns]:not([data-voice-played-turns=""])').waitFor();
  assert.ok(fake.speechRequests.length >= 1, 'the reply went to the speech endpoint');

  // audio went out as ~100 ms PCM16 chunks at 16 kHz: 3,200 bytes each
  const appends = sent.filter((message) => message.type === 'audio_append');
  assert.ok(appends.length >= 30, `the microphone streamed (${appends.length} chunks)`);
  const chunkBytes = Buffer.from(String(appends[0]?.data.audio), 'base64').length;
  assert.equal(chunkBytes, 3_200);
  // the recognizer got the utterance as a 16 kHz WAV about as long as the speech: the worklet's resampling
  // kept time (a wrong rate would stretch or squeeze it)
  const wav = fake.transcriptionRequests.at(-1)?.bytes ?? Buffer.alloc(0);
  assert.equal(wav.subarray(0, 4).toString('latin1'), 'RIFF', 'the utterance was sent as WAV');
  assert.equal(wav.readUInt32LE(24), 16_000);
  const utteranceS = (wav.length - 44) / 2 / 16_000;
  assert.ok(utteranceS > speechSeconds - 1 && utteranceS < speechSeconds + 3, `utterance of ${utteranceS} s for ${speechSeconds} s of speech`);

  // barge-in: the microphone's loop speaks again while the reply (several seconds of audio) still plays;
  // playback stops at once and the server is told how much of that turn was heard
  const truncate = await waitFor(() => sent.find((message) => message.type === 'playback_truncate'), 20_000);
  const turns = (await page.locator('.voice-panel').getAttribute('data-voice-played-turns'))?.split(' ').map(Number) ?? [];
  assert.ok(turns.includes(Number(truncate.data.turn)), 'the truncated turn is one that played');
  assert.ok(Number(truncate.data.played_ms) > 0, 'some of it was heard');
  assert.equal(await page.locator('.voice-panel').getAttribute('data-voice-playing'), 'false', 'the voice stopped');
  // the server recorded the cut: the transcript marks the turn interrupted, with the words that were heard
  const session = await savedSession(page);
  const heard = await waitForAsync(async () => {
    const response = await fetch(`${viva?.baseUrl}/api/v1/interview/${session.sessionId}`, {
      headers: session.token === undefined ? {} : { authorization: `Bearer ${session.token}` },
    });
    const record = (await response.json()) as { transcript: { turn: number; interrupted?: boolean; heard_text?: string }[] };
    return record.transcript.find((turn) => turn.turn === Number(truncate.data.turn) && turn.interrupted === true);
  }, 10_000);
  assert.equal(typeof heard.heard_text, 'string');

  // mute pauses the stream (silence would end the turn mid-sentence), and the status says so
  const mute = page.getByRole('button', { name: 'Mute' });
  await mute.focus();
  await page.keyboard.press('Space');
  assert.equal(await mute.getAttribute('aria-pressed'), 'true');
  await page.getByText('Microphone muted.').waitFor();
  const mutedFrom = sent.length;
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(sent.slice(mutedFrom).filter((message) => message.type === 'audio_append').length, 0, 'no audio while muted');
  await page.keyboard.press('Space');
  assert.equal(await mute.getAttribute('aria-pressed'), 'false');
  const unmutedFrom = sent.length;
  await waitFor(() => sent.slice(unmutedFrom).find((message) => message.type === 'audio_append'), 2_000);

  // the interviewer's voice turned off: the stream goes on, replies come as text only
  await voiceOutput.focus();
  await page.keyboard.press('Enter');
  assert.equal(await voiceOutput.getAttribute('aria-pressed'), 'false');
  const silentStart = await waitFor(() => sent.filter((message) => message.type === 'voice_start').find((message) => message.data.output === null), 5_000);
  assert.deepEqual(silentStart.data.input, { format: 'pcm16', sample_rate: 16_000, turn_detection: { type: 'server_vad' } });

  // on a phone the controls wrap instead of pushing the page sideways
  await page.setViewportSize({ width: 375, height: 812 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'no sideways scrolling at 375px');
  await saveScreenshot(page, 'candidate-voice-mode-phone');

  assert.deepEqual(errors, []);
  await context.close();
});

test('no microphone and no voice controls where the server can neither transcribe nor speak', async (t) => {
  if (skipReason !== undefined || textOnlyServer === undefined || browser === undefined) return t.skip(skipReason);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  const sent: string[] = [];
  page.on('websocket', (socket) => socket.on('framesent', (frame) => sent.push(String(frame.payload))));
  await startInterview(page, textOnlyServer.baseUrl, { name: 'Ada Lovelace', role: 'Data engineer', questions: 2 });
  await page.getByRole('textbox', { name: 'Your answer' }).waitFor();
  assert.equal(await page.locator('.voice-panel').isHidden(), true, 'no hands-free or voice controls');
  assert.equal(await page.locator('.composer-mic').isHidden(), true, 'no push-to-talk');
  assert.equal(sent.filter((frame) => frame.includes('"voice_start"')).length, 0, 'no voice stream is asked for');
  assert.deepEqual(errors, []);
  await context.close();
});
