import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { missingSpeechTools, makeSpeech } from '../helpers/speech-fixtures.js';
import { temporaryDirectory } from '../helpers/temporary-directory.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { fakeMicrophoneArgs, launchChromium, watchPageErrors } from './browser.js';
import { startInterview } from './candidate-page.js';
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
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: SPOKEN }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
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
