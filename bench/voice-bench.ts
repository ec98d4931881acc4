import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { silencePcm, speechPcm } from '../test/helpers/voice-audio.js';
import { summariseLatencies, type LatencySummary } from './latency-stats.js';
import { cpuSeconds } from './process-stats.js';
import { REPO_ROOT } from './raised-limit-spawn.js';
import { builtServerScript } from './built-server.js';
import { startServer } from './server-process.js';
import { serverLoopDelay } from './server-loop-delay.js';

/**
 * The voice scenario of `npm run bench`: N hands-free candidates stream real speech (espeak-ng) in 20 ms
 * chunks, in real time, to a Viva child whose providers are fakes with fixed delays, in a process of their
 * own (voice-providers.ts): transcription 100 ms, the model's first token 200 ms, the voice's first audio
 * 100 ms. Chunks leave as a microphone would give them (each once recorded), and the end and start of
 * speech are instants of that clock, so a chunk sent late counts against the bench, visibly: its lateness
 * is reported. Every second turn the candidate starts speaking again as soon as the reply's first audio
 * arrives (a barge-in). Measured at the candidates:
 *
 * - added: end of speech to the first reply audio, minus silence_ms and the providers' 400 ms: what Viva adds
 *   (the detector's own hangover after speech included), and the same from `speech_stopped` on;
 * - end of turn beyond silence_ms: end of speech to `speech_stopped`, minus silence_ms;
 * - barge-in reaction: the start of speech to `speech_started` received (80 ms of it are needed by design);
 * - server CPU per second of streamed audio.
 */

export const VOICE_PROVIDER_DELAYS = { sttMs: 100, firstTokenMs: 200, ttsFirstAudioMs: 100 } as const;
const PROVIDERS_MS = VOICE_PROVIDER_DELAYS.sttMs + VOICE_PROVIDER_DELAYS.firstTokenMs + VOICE_PROVIDER_DELAYS.ttsFirstAudioMs;
const SILENCE_MS = 500;
const SPOKEN = 'I led the migration of our billing system to Postgres.';
const CHUNK_MS = 20;
const LEAD_MS = 200;
export const VOICE_TARGETS = { addedP99Ms: 80, bargeInP99Ms: 150 } as const;

export interface VoiceBenchResult {
  candidates: number;
  /** Whether every candidate started at once (their ends of speech together), or spread over one utterance. */
  inStep: boolean;
  durationMs: number;
  turns: number;
  bargeIns: number;
  errors: string[];
  addedMs: LatencySummary;
  /** From `speech_stopped` to the first reply audio, minus the providers: Viva's share after the turn ended. */
  addedAfterEndOfTurnMs: LatencySummary;
  /** The same in three hops, each minus its provider's delay: to the transcription, to the first reply text, to the first audio. */
  hopsMs: { toTranscription: LatencySummary; toFirstText: LatencySummary; toFirstAudio: LatencySummary };
  endOfTurnBeyondSilenceMs: LatencySummary;
  bargeInReactionMs: LatencySummary;
  audioSeconds: number;
  serverCpuMsPerAudioSecond: number;
  /**
   * The bench's own lateness, which the figures above include: how late its chunks left against the clock
   * of a real microphone, and its event loop's delay (candidates and fake providers share it).
   */
  chunkLateMs: LatencySummary;
  benchLoopDelayP99Ms: number;
  /** Viva's event loop delay over the window (its Prometheus gauges, read at the start and the end). */
  serverLoopDelayMs: { p99: number; max: number } | undefined;
  /** The measured window, epoch milliseconds (to cut a CPU profile to it). */
  window: { start: number; end: number };
}

interface Samples {
  added: number[];
  addedAfterEndOfTurn: number[];
  hops: { toTranscription: number[]; toFirstText: number[]; toFirstAudio: number[] };
  endOfTurn: number[];
  bargeIn: number[];
  turns: number;
  bargeIns: number;
  audioBytes: number;
  chunkLate: number[];
  errors: string[];
}

export async function runVoiceBench(
  candidates: number,
  durationMs: number,
  log: (line: string) => void,
  onServer: (server: { spawnedAt: number }) => void = () => undefined,
  nodeFlags: string[] = [],
  inStep = false,
): Promise<VoiceBenchResult> {
  const providers = await startServer({
    name: 'fake providers',
    script: join(REPO_ROOT, 'bench/voice-providers.ts'),
    environment: {
      FAKE_STT_MS: String(VOICE_PROVIDER_DELAYS.sttMs),
      FAKE_FIRST_TOKEN_MS: String(VOICE_PROVIDER_DELAYS.firstTokenMs),
      FAKE_TTS_FIRST_AUDIO_MS: String(VOICE_PROVIDER_DELAYS.ttsFirstAudioMs),
      FAKE_TRANSCRIPT: SPOKEN,
    },
  }).catch((error: unknown) => {
    throw new Error(`the fake providers did not start: ${String(error)}`);
  });
  const fakeBaseUrl = `http://127.0.0.1:${providers.port}/v1`;
  const directory = mkdtempSync(join(tmpdir(), 'viva-voice-bench-'));
  const server = await startServer({
    name: 'viva (voice)',
    script: builtServerScript(REPO_ROOT, log),
    nodeFlags,
    environment: {
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      SERVE_WEB_APP: 'false',
      ADMIN_TOKEN: 'bench-admin-token',
      MAX_CONNECTIONS_PER_IP: '20000',
      SESSIONS_PER_IP_PER_MINUTE: '1000000',
      HTTP_RATE_LIMIT_PER_MINUTE: '1000000',
      DATABASE_URL: join(directory, 'viva.db'),
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: fakeBaseUrl,
      STT_PROVIDER: 'openai',
      STT_BASE_URL: fakeBaseUrl,
      TTS_PROVIDER: 'openai',
      TTS_BASE_URL: fakeBaseUrl,
    },
  });
  onServer(server);
  const samples: Samples = { added: [], addedAfterEndOfTurn: [], hops: { toTranscription: [], toFirstText: [], toFirstAudio: [] }, endOfTurn: [], bargeIn: [], turns: 0, bargeIns: 0, audioBytes: 0, chunkLate: [], errors: [] };
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  try {
    const speech = await speechPcm(SPOKEN);
    // a whole number of chunks: a microphone's stream goes on between utterances, it never sends a short
    // chunk, so the detector's 20 ms frames stay where the chunks put them (a short chunk would shift every
    // later utterance against the frame grid by up to a frame, which no real client does)
    const tail = silencePcm(SILENCE_MS + 300);
    const unpadded = LEAD_MS * 32 + speech.length + tail.length;
    const chunkBytes = (16_000 * CHUNK_MS * 2) / 1000;
    const utterance = Buffer.concat([silencePcm(LEAD_MS), speech, tail, Buffer.alloc((chunkBytes - (unpadded % chunkBytes)) % chunkBytes)]);
    // espeak-ng begins and ends its files with a pause: speech is from the first to the last loud sample
    const speechStartMs = LEAD_MS + firstLoudSampleMs(speech);
    const speechEndMs = LEAD_MS + lastLoudSampleMs(speech);
    const { httpBase } = server;
    log(`  voice: ${candidates} candidates, ${durationMs / 1000} s, utterances of ${(utterance.length / 32000).toFixed(1)} s in ${CHUNK_MS} ms chunks`);
    // reading the metrics resets prom-client's event-loop histogram: the second reading covers the window
    await serverLoopDelay(httpBase);
    const cpuBefore = cpuSeconds(server.pid);
    const windowStart = Date.now();
    loopDelay.enable();
    const endAt = performance.now() + durationMs;
    await Promise.all(
      Array.from({ length: candidates }, (_, index) =>
        // people do not all stop talking at the same instant: by default the candidates start spread over one
        // utterance; in step (--voice-in-step), fifty ends of turn land together, the worst case
        candidate(index, httpBase, server.wsBase, utterance, { startMs: speechStartMs, endMs: speechEndMs }, endAt, samples, inStep ? 0 : (index / candidates) * (utterance.length / 32)).catch((error: unknown) => {
          samples.errors.push(error instanceof Error ? error.message : String(error));
        }),
      ),
    );
    const cpuMs = (cpuSeconds(server.pid) - cpuBefore) * 1000;
    const serverLoopDelayMs = await serverLoopDelay(httpBase);
    loopDelay.disable();
    const audioSeconds = samples.audioBytes / 32_000;
    return {
      candidates,
      inStep,
      durationMs,
      turns: samples.turns,
      bargeIns: samples.bargeIns,
      errors: [...new Set(samples.errors)].slice(0, 5),
      addedMs: summariseLatencies(samples.added),
      addedAfterEndOfTurnMs: summariseLatencies(samples.addedAfterEndOfTurn),
      hopsMs: {
        toTranscription: summariseLatencies(samples.hops.toTranscription),
        toFirstText: summariseLatencies(samples.hops.toFirstText),
        toFirstAudio: summariseLatencies(samples.hops.toFirstAudio),
      },
      endOfTurnBeyondSilenceMs: summariseLatencies(samples.endOfTurn),
      bargeInReactionMs: summariseLatencies(samples.bargeIn),
      audioSeconds,
      serverCpuMsPerAudioSecond: audioSeconds > 0 ? cpuMs / audioSeconds : 0,
      chunkLateMs: summariseLatencies(samples.chunkLate),
      benchLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      serverLoopDelayMs,
      window: { start: windowStart, end: Date.now() },
    };
  } finally {
    await server.stop();
    await providers.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

const framesByUtterance = new WeakMap<Buffer, string[]>();

/** The utterance's audio_append frames, made once for all candidates: the bench's own work is kept small. */
function appendFrames(utterance: Buffer, chunkBytes: number): string[] {
  let frames = framesByUtterance.get(utterance);
  if (frames === undefined) {
    frames = [];
    for (let offset = 0; offset < utterance.length; offset += chunkBytes) {
      frames.push(JSON.stringify({ type: 'audio_append', data: { audio: utterance.subarray(offset, offset + chunkBytes).toString('base64') } }));
    }
    framesByUtterance.set(utterance, frames);
  }
  return frames;
}

/**
 * A server message's type, read from its first bytes (Viva writes `type` first) without parsing the rest:
 * fifty candidates receive some thousand audio frames a second, and parsing them all made the bench's own
 * event loop late, which the latencies above would count as Viva's.
 */
function messageType(raw: Buffer): string {
  const head = /^\{"type":"([a-z_]+)"/.exec(raw.subarray(0, 48).toString('latin1'));
  if (head?.[1] !== undefined) return head[1];
  return (JSON.parse(raw.toString()) as { type: string }).type;
}

function firstLoudSampleMs(pcm: Buffer): number {
  for (let index = 0; index < pcm.length / 2; index += 1) {
    if (Math.abs(pcm.readInt16LE(index * 2)) > 200) return index / 16;
  }
  return 0;
}

function lastLoudSampleMs(pcm: Buffer): number {
  for (let index = pcm.length / 2 - 1; index >= 0; index -= 1) {
    if (Math.abs(pcm.readInt16LE(index * 2)) > 200) return index / 16;
  }
  return 0;
}

/** Where the speech lies in the utterance, milliseconds from its start. */
interface SpeechSpan {
  startMs: number;
  endMs: number;
}

async function candidate(
  index: number,
  httpBase: string,
  wsBase: string,
  utterance: Buffer,
  speech: SpeechSpan,
  endAt: number,
  samples: Samples,
  phaseMs: number,
): Promise<void> {
  if (phaseMs > 0) await new Promise((resolve) => setTimeout(resolve, phaseMs));
  const started = await fetch(`${httpBase}/api/v1/interview/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ candidate: { name: `Voice ${index}` }, interview: { question_count: 30, max_minutes: 240 } }),
  });
  if (!started.ok) throw new Error(`interview/start answered ${started.status}`);
  const { session_id: sessionId } = (await started.json()) as { session_id: string };
  const socket = new WebSocket(`${wsBase}/api/v1/ws/${sessionId}`);
  // a turn's transcription, reply text and audio come after its speech_stopped: what arrives before it is
  // the end of the reply the candidate just talked over
  const afterStop = new Set(['transcription', 'ai_response_delta', 'ai_audio_delta']);
  let stops = 0;
  const waiters = new Map<string, Array<{ stops: number; resolve: (at: number) => void }>>();
  const next = (type: string) => new Promise<number>((resolve) => waiters.set(type, [...(waiters.get(type) ?? []), { stops, resolve }]));
  socket.on('message', (raw) => {
    const at = performance.now();
    const type = messageType(raw as Buffer);
    if (type === 'error') {
      const message = JSON.parse(raw.toString()) as { data: { code?: string; message?: string } };
      samples.errors.push(`${message.data.code}: ${message.data.message}`);
    }
    if (type === 'speech_stopped') stops += 1;
    const list = waiters.get(type);
    if (list === undefined || list.length === 0) return;
    const due = list.filter((waiter) => !afterStop.has(type) || stops > waiter.stops);
    waiters.set(type, list.filter((waiter) => !due.includes(waiter)));
    for (const waiter of due) waiter.resolve(at);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const send = (message: unknown) => socket.send(JSON.stringify(message));
  const voiceStarted = next('voice_started');
  send({ type: 'voice_start', data: { input: { sample_rate: 16000, turn_detection: { type: 'server_vad', silence_ms: SILENCE_MS } }, output: { format: 'pcm16' } } });
  await voiceStarted;
  const chunkBytes = (16_000 * CHUNK_MS * 2) / 1000;
  const timeout = (ms: number) => new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), ms));
  let turn = 0;
  while (performance.now() < endAt) {
    turn += 1;
    const speechStarted = next('speech_started');
    const speechStopped = next('speech_stopped');
    const firstAudio = next('ai_audio_delta');
    const transcribed = next('transcription');
    const firstText = next('ai_response_delta');
    const audioDone = next('ai_audio_done');
    // timed as a microphone would: a chunk is handed over once it has been recorded, at the end of its time;
    // the candidate starts and stops speaking at fixed instants of that clock, whenever the chunks leave
    const streamStart = performance.now();
    const onsetAt = streamStart + speech.startMs;
    const speechEndAt = streamStart + speech.endMs;
    for (let offset = 0, chunk = 0; offset < utterance.length; offset += chunkBytes, chunk += 1) {
      const due = streamStart + (chunk + 1) * CHUNK_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      socket.send(appendFrames(utterance, chunkBytes)[chunk]!);
      samples.chunkLate.push(Math.max(0, performance.now() - due));
      samples.audioBytes += Math.min(chunkBytes, utterance.length - offset);
    }
    const [startedAt, stoppedAt, audioAt] = await Promise.all([
      Promise.race([speechStarted, timeout(10_000)]),
      Promise.race([speechStopped, timeout(10_000)]),
      Promise.race([firstAudio, timeout(15_000)]),
    ]);
    if (Number.isNaN(startedAt) || Number.isNaN(stoppedAt) || Number.isNaN(audioAt)) {
      samples.errors.push(`turn ${turn} of candidate ${index}: no ${Number.isNaN(startedAt) ? 'speech_started' : Number.isNaN(stoppedAt) ? 'speech_stopped' : 'reply audio'}`);
      break;
    }
    samples.turns += 1;
    samples.bargeIn.push(startedAt - onsetAt);
    samples.endOfTurn.push(stoppedAt - speechEndAt - SILENCE_MS);
    samples.added.push(audioAt - speechEndAt - SILENCE_MS - PROVIDERS_MS);
    samples.addedAfterEndOfTurn.push(audioAt - stoppedAt - PROVIDERS_MS);
    const [transcribedAt, firstTextAt] = await Promise.all([Promise.race([transcribed, timeout(1)]), Promise.race([firstText, timeout(1)])]);
    if (!Number.isNaN(transcribedAt) && !Number.isNaN(firstTextAt)) {
      samples.hops.toTranscription.push(transcribedAt - stoppedAt - VOICE_PROVIDER_DELAYS.sttMs);
      samples.hops.toFirstText.push(firstTextAt - transcribedAt - VOICE_PROVIDER_DELAYS.firstTokenMs);
      samples.hops.toFirstAudio.push(audioAt - firstTextAt - VOICE_PROVIDER_DELAYS.ttsFirstAudioMs);
    }
    // every second turn the candidate talks over the reply; otherwise it listens to the end
    if (turn % 2 === 0) samples.bargeIns += 1;
    else await Promise.race([audioDone, timeout(20_000)]);
  }
  socket.close();
}
