import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { VivaClient, VivaVoice } from '@viva/client/index.js';
import { pcm16ToWav, wavToPcm16 } from '../../src/audio/pcm16.js';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { missingSpeechTools } from '../helpers/speech-fixtures.js';
import { temporaryDirectory } from '../helpers/temporary-directory.js';
import { silencePcm, speechPcm } from '../helpers/voice-audio.js';

const SPOKEN = 'I designed the retry policy for our payment queue.';

describe('live voice from the SDK and the terminal client', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let skipReason: string | undefined;

  before(async () => {
    skipReason = await missingSpeechTools('wav');
    fake = await FakeOpenAiServer.start();
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN, durationS: 3 });
    viva = await startInProcess({ STT_PROVIDER: 'openai', STT_BASE_URL: fake.baseUrl, TTS_PROVIDER: 'openai', TTS_BASE_URL: fake.baseUrl });
  });
  after(async () => {
    await viva?.stop();
    await fake?.close();
  });

  it('VivaVoice: start, append Float32Array samples, events, and the reply audio', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const pcm = Buffer.concat([await speechPcm(SPOKEN), silencePcm(1200)]);
    const floats = new Float32Array(pcm.length / 2);
    for (let index = 0; index < floats.length; index += 1) floats[index] = pcm.readInt16LE(index * 2) / 32768;
    const client = new VivaClient({ url: viva.baseUrl, WebSocket });
    const connected = await client.connect();
    assert.equal(connected.capabilities?.speech_input, true);
    assert.equal(client.capabilities?.speech_output, true);
    const voice = new VivaVoice(client, { sampleRate: 16000, turnDetection: { silenceMs: 700 } });
    const events: string[] = [];
    voice.on('speech_started', () => events.push('speech_started'));
    voice.on('speech_stopped', () => events.push('speech_stopped'));
    let audioBytes = 0;
    voice.on('ai_audio_delta', (message) => (audioBytes += Buffer.from(message.data.audio, 'base64').length));
    const done = new Promise<number>((resolve) => voice.on('ai_audio_done', (message) => resolve(message.data.duration_ms)));
    const settings = await voice.start();
    assert.equal(settings.input?.turn_detection?.silence_ms, 700);
    const step = 16000 * 0.05;
    for (let offset = 0; offset < floats.length; offset += step) {
      assert.equal(voice.append(floats.subarray(offset, offset + step)), true);
      await new Promise((resolve) => setTimeout(resolve, 12));
    }
    const durationMs = await done;
    assert.deepEqual(events, ['speech_started', 'speech_stopped']);
    assert.ok(Math.abs(durationMs - (audioBytes / 2 / 24000) * 1000) < 50);
    voice.stop();
    voice.dispose();
    client.close();
  });

  it('viva chat --voice-wav plays a demo voice turn and saves the spoken reply', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const directory = temporaryDirectory('viva-voice-cli-');
    const input = join(directory, 'answer.wav');
    const output = join(directory, 'reply.wav');
    await writeFile(input, pcm16ToWav(await speechPcm(SPOKEN), 16000));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/client/src/cli/viva-chat.ts', 'chat', viva.baseUrl, '--name', 'Ada', '--role', 'Backend Engineer', '--lang', 'en', '--level', 'mid', '--voice-wav', input, '--voice-out', output],
      { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stdin.end('/quit\n');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, text);
    assert.match(text, /\[end of your turn at \d+ ms\]/);
    assert.match(text, new RegExp(`You \\(spoken\\): ${SPOKEN}`));
    const saved = wavToPcm16(await readFile(output));
    assert.ok(saved !== null && saved.sampleRate === 24000 && saved.pcm.length > 24000, 'the reply was saved as 24 kHz speech');
  });
});
