/**
 * Live voice for tests: real speech (espeak-ng through speech-fixtures.ts) as raw PCM16, silences, and a
 * sender that streams it to a connection as `audio_append` chunks of 20-100 ms.
 */
import { wavToPcm16 } from '../../src/audio/pcm16.js';
import { makeSpeech, type SpeechOptions } from './speech-fixtures.js';
import type { TestClient } from './test-client.js';

/** espeak-ng saying `text`, as raw PCM16 at `sampleRate` (16 kHz unless said). */
export async function speechPcm(text: string, options: SpeechOptions = {}): Promise<Buffer> {
  const wav = await makeSpeech(text, 'wav', { sampleRate: 16_000, ...options });
  const decoded = wavToPcm16(wav);
  if (decoded === null) throw new Error('espeak-ng did not write PCM16 mono WAV');
  return decoded.pcm;
}

export function silencePcm(milliseconds: number, sampleRate = 16_000): Buffer {
  return Buffer.alloc(Math.round((milliseconds * sampleRate) / 1000) * 2);
}

export interface StreamOptions {
  sampleRate?: number;
  /** Length of each chunk. @default 40 */
  chunkMs?: number;
  /** Pause between chunks, milliseconds; 0 sends as fast as the audio rate limit allows. @default 11 */
  paceMs?: number;
}

/** Sends `pcm` as audio_append chunks, paced under the server's audio message limit (100 a second). */
export async function streamAudio(client: TestClient, pcm: Buffer, options: StreamOptions = {}): Promise<void> {
  const sampleRate = options.sampleRate ?? 16_000;
  const chunkBytes = Math.round(((options.chunkMs ?? 40) * sampleRate) / 1000) * 2;
  const pace = options.paceMs ?? 11;
  for (let offset = 0; offset < pcm.length; offset += chunkBytes) {
    client.send({ type: 'audio_append', data: { audio: pcm.subarray(offset, offset + chunkBytes).toString('base64') } });
    if (pace > 0) await new Promise((resolve) => setTimeout(resolve, pace));
  }
}

/** The PCM16 samples of every ai_audio_delta of `turn`, joined. */
export function replyAudio(client: TestClient, turn: number): Buffer {
  return Buffer.concat(
    client.messages
      .filter((message) => message.type === 'ai_audio_delta' && message.data.turn === turn)
      .map((message) => Buffer.from((message.data as { audio: string }).audio, 'base64')),
  );
}
