/**
 * `viva chat --voice-wav FILE`: one hands-free voice turn from a WAV file (16-bit mono PCM), streamed in real
 * time like a microphone, so a deployment's live voice can be checked from a terminal. The interviewer's
 * spoken reply can be saved with `--voice-out FILE`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { VivaClient } from '../viva-client.js';
import { fromBase64 } from '../voice/pcm16-encoding.js';
import { VivaVoice } from '../voice/viva-voice.js';
import type { ChatTerminal } from './chat-terminal.js';

const CHUNK_MS = 40;
/** Silence after the file, so the server hears the end of the turn. */
const TRAILING_SILENCE_MS = 1_500;

export async function playVoiceTurn(client: VivaClient, terminal: ChatTerminal, wavPath: string, outPath: string | undefined): Promise<void> {
  const capabilities = client.capabilities;
  if (capabilities?.speech_input !== true) {
    terminal.error('This server cannot transcribe speech (no speech recognizer configured): the voice turn is skipped.');
    return;
  }
  const wav = readPcm16Wav(await readFile(wavPath));
  const voice = new VivaVoice(client, { sampleRate: wav.sampleRate, ...(capabilities.speech_output ? {} : { output: null }) });
  const audio: Uint8Array[] = [];
  let outputRate = 24_000;
  voice.on('speech_started', (message) => terminal.note(`[you started speaking at ${message.data.audio_start_ms} ms]`));
  voice.on('transcription_delta', (message) => terminal.note(`[hearing] ${message.data.text}`));
  voice.on('speech_stopped', (message) => terminal.note(`[end of your turn at ${message.data.audio_end_ms} ms]`));
  voice.on('ai_audio_delta', (message) => {
    if (message.data.format === 'pcm16') audio.push(fromBase64(message.data.audio));
    outputRate = message.data.sample_rate ?? outputRate;
  });
  const settings = await voice.start();
  terminal.note(`voice: ${settings.output ? `the interviewer speaks (${settings.output.voice})` : 'text replies only'}`);
  const done = settings.output
    ? new Promise<void>((resolve) => voice.on('ai_audio_done', () => resolve()))
    : new Promise<void>((resolve) => client.once('ai_response', () => resolve()));
  const silence = new Uint8Array(Math.round((TRAILING_SILENCE_MS * wav.sampleRate) / 1000) * 2);
  const all = new Uint8Array(wav.pcm.length + silence.length);
  all.set(wav.pcm);
  const chunkBytes = Math.round((CHUNK_MS * wav.sampleRate) / 1000) * 2;
  for (let offset = 0; offset < all.length; offset += chunkBytes) {
    voice.append(all.subarray(offset, offset + chunkBytes));
    await new Promise((resolve) => setTimeout(resolve, CHUNK_MS));
  }
  await done;
  voice.stop();
  voice.dispose();
  if (outPath !== undefined && audio.length > 0) {
    const pcm = Buffer.concat(audio);
    await writeFile(outPath, wavFile(pcm, outputRate));
    terminal.note(`the interviewer's reply: ${outPath} (${(pcm.length / 2 / outputRate).toFixed(1)} s)`);
  }
}

function readPcm16Wav(file: Buffer): { pcm: Buffer; sampleRate: number } {
  const fail = () => new Error('--voice-wav needs a 16-bit mono PCM WAV file (for example: sox in.wav -b 16 -c 1 -r 16000 out.wav)');
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') throw fail();
  let offset = 12;
  let sampleRate = 0;
  let ok = false;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      ok = file.readUInt16LE(offset + 8) === 1 && file.readUInt16LE(offset + 10) === 1 && file.readUInt16LE(offset + 22) === 16;
      sampleRate = file.readUInt32LE(offset + 12);
    } else if (id === 'data') {
      if (!ok || sampleRate < 8_000 || sampleRate > 48_000) throw fail();
      const end = Math.min(file.length, offset + 8 + size);
      return { pcm: file.subarray(offset + 8, end - ((end - offset - 8) % 2)), sampleRate };
    }
    offset += 8 + size + (size % 2);
  }
  throw fail();
}

function wavFile(pcm: Buffer, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
