import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { missingSpeechTools, makeSpeech } from '../helpers/speech-fixtures.js';
import { temporaryDirectory } from '../helpers/temporary-directory.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { fakeMicrophoneArgs, launchChromium, saveScreenshot, watchPageErrors } from './browser.js';
import { startInterview, waitForConnection } from './candidate-page.js';
import { ensureWebBuild } from './web-build.js';

const SPOKEN = 'I led the migration of our billing service to Postgres with zero downtime.';

interface TranscriptionRequest {
  contentType: string;
  body: Buffer;
}

/** An OpenAI-format speech recognizer: POST /v1/audio/transcriptions (multipart) answers `{"text": …}`. */
async function startTranscriptionServer(requests: TranscriptionRequest[]): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || !request.url?.endsWith('/audio/transcriptions')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      requests.push({ contentType: request.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      // a held transcription answers when the test lets it go (a slow speech service)
      void transcriberGate.then(() => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: SPOKEN })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

let transcriberGate: Promise<void> = Promise.resolve();

/** Holds the transcriptions that arrive from now on; returns the function that lets them answer. */
function holdTranscriptions(): () => void {
  let release = () => undefined as void;
  transcriberGate = new Promise<void>((resolve) => (release = resolve));
  return () => {
    release();
    transcriberGate = Promise.resolve();
  };
}

let viva: VivaProcess | undefined;
let browser: Browser | undefined;
let transcriber: Server | undefined;
const requests: TranscriptionRequest[] = [];
let skipReason: string | undefined;

before(async () => {
  skipReason = await missingSpeechTools('wav');
  if (skipReason !== undefined) return;
  await ensureWebBuild();
  const started = await startTranscriptionServer(requests);
  transcriber = started.server;
  viva = await startViva({
    SERVE_WEB_APP: 'true',
    STT_PROVIDER: 'openai',
    STT_BASE_URL: `http://127.0.0.1:${started.port}/v1`,
    STT_API_KEY: 'test',
  });
  // Chromium's fake capture device plays this file as the microphone: 16-bit PCM WAV
  const wav = await makeSpeech(SPOKEN, 'wav', { sampleRate: 48_000 });
  const file = join(temporaryDirectory('viva-e2e-mic-'), 'answer.wav');
  await writeFile(file, wav);
  browser = await launchChromium(fakeMicrophoneArgs(file));
});

after(async () => {
  await browser?.close();
  await viva?.stop();
  await new Promise<void>((resolve) => (transcriber ? transcriber.close(() => resolve()) : resolve()));
});

test('a spoken answer through the microphone comes back as the candidate’s message', async (t) => {
  if (skipReason !== undefined || viva === undefined || browser === undefined) return t.skip(skipReason);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await startInterview(page, viva.baseUrl, { name: 'Grace Hopper', role: 'Backend engineer', level: 'senior', questions: 2 });

  // push-to-talk from the keyboard: hold Space on the focused button
  const mic = page.getByRole('button', { name: 'Hold to talk' });
  await mic.focus();
  await page.keyboard.down('Space');
  await page.getByText('Recording… release to send').waitFor();
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  await page.keyboard.up('Space');

  const spoken = page.locator('.message-candidate:not(.is-pending)', { hasText: SPOKEN });
  const unavailable = page.getByText('Spoken answers are not available on this server');
  await spoken.or(unavailable).waitFor({ timeout: 15_000 });
  assert.equal(await unavailable.count(), 0, 'the server answered STT_UNAVAILABLE: is STT_PROVIDER=openai implemented?');
  assert.match(await spoken.innerText(), /Spoken answer/);
  await page.locator('.message-interviewer:not(.is-streaming)').nth(1).waitFor({ timeout: 15_000 });

  assert.equal(requests.length, 1, 'one recording was transcribed');
  const request = requests[0];
  assert.ok(request);
  assert.match(request.contentType, /^multipart\/form-data/);
  // the browser's own recording (WebM from MediaRecorder, EBML magic 1A 45 DF A3) reached the recognizer
  assert.ok(request.body.includes(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])), 'the upload carries the WebM recording');
  assert.ok(request.body.length > 4_000, 'the recording has some length');
  assert.deepEqual(errors, []);
  await context.close();
});

test('push-to-talk shows the time and the level while recording; Cancel (from the keyboard) discards the clip', async (t) => {
  if (skipReason !== undefined || viva === undefined || browser === undefined) return t.skip(skipReason);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await startInterview(page, viva.baseUrl, { name: 'Katherine Johnson', role: 'Backend engineer', questions: 2 });
  const requestsBefore = requests.length;

  // a tap (Enter) starts recording in toggle mode
  const mic = page.getByRole('button', { name: 'Hold to talk' });
  await mic.focus();
  await page.keyboard.press('Enter');
  await page.getByText('Recording… tap again to send').waitFor();
  const elapsed = page.locator('.recording-time');
  await elapsed.filter({ hasText: /^0:0[1-9]$/ }).waitFor();
  const meter = page.getByRole('meter', { name: 'Microphone level' });
  // the fake microphone plays speech: the meter moves
  await page.waitForFunction(() => (document.querySelector<HTMLMeterElement>('.recording-level')?.value ?? 0) > 0.02);
  assert.equal(await meter.count(), 1);
  await saveScreenshot(page, 'candidate-recording-phone');

  await page.keyboard.press('Tab');
  const cancel = page.getByRole('button', { name: 'Cancel' });
  assert.ok(await cancel.evaluate((element) => element === document.activeElement), 'Tab reaches Cancel while recording');
  await page.keyboard.press('Enter');
  await page.getByText('Recording discarded. Nothing was sent.').waitFor();
  assert.equal(await page.locator('.recording-panel').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Hold to talk' }).count(), 1, 'the button is back to Hold to talk');
  // nothing reached the server: wait for a round trip of the next input to be sure none was on its way
  await page.getByRole('textbox', { name: 'Your answer' }).fill('A typed answer after the discarded clip.');
  await page.getByRole('textbox', { name: 'Your answer' }).press('Enter');
  await page.locator('.message-interviewer:not(.is-streaming)').nth(1).waitFor();
  assert.equal(requests.length, requestsBefore, 'the discarded clip was never transcribed');
  assert.deepEqual(await page.locator('.message-candidate .message-text').allTextContents(), ['A typed answer after the discarded clip.']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reload while a spoken answer is transcribed keeps it as "transcribing", then shows it once, answered once', async (t) => {
  if (skipReason !== undefined || viva === undefined || browser === undefined) return t.skip(skipReason);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await startInterview(page, viva.baseUrl, { name: 'Mary Jackson', role: 'Backend engineer', questions: 3 });
  const requestsBefore = requests.length;
  const release = holdTranscriptions();
  try {
    const mic = page.getByRole('button', { name: 'Hold to talk' });
    await mic.focus();
    await page.keyboard.down('Space');
    await page.getByText('Recording… release to send').waitFor();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await page.keyboard.up('Space');
    const transcribing = page.locator('.message-candidate.is-pending', { hasText: 'Transcribing your answer…' });
    await transcribing.waitFor();
    // the speech service has the clip, and the page has kept it
    await page.waitForFunction(() => /"audio":"data:audio/.test(localStorage.getItem('viva.interview.v1') ?? ''));
    for (let waited = 0; requests.length === requestsBefore; waited += 50) {
      assert.ok(waited < 15_000, 'the clip reaches the speech service');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    await page.reload();
    await waitForConnection(page, 'open');
    await transcribing.waitFor();
    assert.equal(await page.locator('.message-candidate').count(), 1, 'shown once, as pending');
    assert.ok(await page.getByRole('button', { name: 'Send' }).isDisabled(), 'no second answer while this one is on its way');
  } finally {
    release();
  }
  const spoken = page.locator('.message-candidate:not(.is-pending)', { hasText: SPOKEN });
  await spoken.waitFor();
  await page.locator('.message-interviewer:not(.is-streaming)').nth(1).waitFor();
  assert.equal(await page.locator('.message-candidate').count(), 1, 'not duplicated');
  assert.equal(requests.length, requestsBefore + 1, 'transcribed once');

  // what the server kept: one answer, one reply (a reload rebuilds the chat from it)
  await page.reload();
  await waitForConnection(page, 'open');
  await page.locator('.message-interviewer:not(.is-streaming)').nth(1).waitFor();
  assert.equal(await page.locator('.message-interviewer:not(.is-streaming)').count(), 2, 'answered once');
  assert.deepEqual(await page.locator('.message-candidate .message-text').allTextContents(), [SPOKEN]);
  assert.equal(await page.evaluate(() => localStorage.getItem('viva.interview.v1')?.includes('"audio"')), false, 'the kept clip is forgotten once answered');
  assert.deepEqual(errors, []);
  await context.close();
});
