import type { VoiceSettingsData } from '@viva/protocol/voice-messages.js';
import type { VivaClient } from '../viva-client.js';
import type { VivaClientEvents } from '../viva-client-types.js';
import { VivaClientError } from '../viva-client-error.js';
import { pcm16Bytes, toBase64, type PcmSource } from './pcm16-encoding.js';

export interface VoiceOptions {
  /** Stream the microphone (needs `capabilities.speech_input`). @default true */
  input?: boolean;
  /** Sample rate of what you append, 8000 to 48000. @default 16000 */
  sampleRate?: number;
  /** Server-side end of turn (the default), or `null` for push-to-talk (you call `commit`). */
  turnDetection?: { silenceMs?: number; interruptResponse?: boolean } | null;
  /** The interviewer's voice, or `null` for text only. @default pcm16 at 24 kHz in the server's default voice */
  output?: { voice?: string; format?: 'pcm16' | 'mp3' | 'opus' } | null;
}

type VoiceEvent = 'voice_started' | 'voice_stopped' | 'speech_started' | 'speech_stopped' | 'transcription_delta' | 'ai_audio_delta' | 'ai_audio_done';

/** Most audio one `audio_append` carries: the contract recommends at most 1 s per message. */
const MAX_CHUNK_MS = 1_000;

/**
 * Live voice over a VivaClient (docs/protocol.md §9): start, append microphone samples (Int16Array, Float32Array
 * from Web Audio, PCM16 bytes, or a MediaStream in the browser), commit, and the server's live events. After a
 * reconnect the voice stream is started again by itself; audio appended while disconnected is dropped, as
 * the contract says (only a committed utterance is a turn, and turns are resumed by the client).
 */
export class VivaVoice {
  private started = false;
  private settingsInForce: VoiceSettingsData | undefined;
  private requestCount = 0;
  private readonly off: Array<() => void> = [];

  constructor(
    private readonly client: VivaClient,
    private readonly options: VoiceOptions = {},
  ) {
    // a new connection has no voice stream: start it again with the same settings
    this.off.push(
      client.on('state', (state, previous) => {
        if (this.started && state === 'open' && previous === 'reconnecting') void this.sendStart().catch(() => undefined);
      }),
    );
  }

  get sampleRate(): number {
    return this.options.sampleRate ?? 16_000;
  }

  /** The settings the server put in force (`voice_started`), once started. */
  get settings(): VoiceSettingsData | undefined {
    return this.settingsInForce;
  }

  /** Sends `voice_start`; resolves with the settings in force, rejects with the server's error (STT_UNAVAILABLE…). */
  async start(): Promise<VoiceSettingsData> {
    const settings = await this.sendStart();
    this.started = true;
    return settings;
  }

  /** Appends microphone samples; false when not connected (the audio is dropped). */
  append(samples: PcmSource): boolean {
    const bytes = pcm16Bytes(samples);
    const maxBytes = Math.floor((this.sampleRate * MAX_CHUNK_MS) / 1000) * 2;
    let sent = true;
    for (let offset = 0; offset < bytes.length; offset += maxBytes) {
      sent = this.client.sendLive('audio_append', { audio: toBase64(bytes.subarray(offset, offset + maxBytes)) }) && sent;
    }
    return sent;
  }

  /** Ends the utterance now: push-to-talk's release, or to cut a pause short. */
  commit(): boolean {
    return this.client.sendLive('audio_commit');
  }

  /** Drops the audio not yet committed. */
  clear(): boolean {
    return this.client.sendLive('audio_clear');
  }

  /** Barge-in: the candidate heard only the first `playedMs` of `turn`'s spoken reply. */
  truncate(turn: number, playedMs: number): boolean {
    return this.client.sendLive('playback_truncate', { turn, played_ms: Math.max(0, Math.round(playedMs)) });
  }

  /** Sends `voice_stop`; uncommitted audio is dropped. */
  stop(): void {
    this.started = false;
    this.client.sendLive('voice_stop');
  }

  /** Subscribes to a live voice event (or any client event); returns the unsubscribe function. */
  on<K extends VoiceEvent>(type: K, handler: VivaClientEvents[K]): () => void {
    const off = this.client.on(type, handler);
    this.off.push(off);
    return off;
  }

  /** Stops listening to the client (after `stop`). */
  dispose(): void {
    for (const off of this.off.splice(0)) off();
  }

  private sendStart(): Promise<VoiceSettingsData> {
    const id = `voice-${Date.now().toString(36)}-${++this.requestCount}`;
    const { turnDetection, output } = this.options;
    const data = {
      input:
        this.options.input === false
          ? null
          : {
              format: 'pcm16',
              sample_rate: this.sampleRate,
              turn_detection:
                turnDetection === null
                  ? null
                  : {
                      type: 'server_vad',
                      ...(turnDetection?.silenceMs === undefined ? {} : { silence_ms: turnDetection.silenceMs }),
                      ...(turnDetection?.interruptResponse === undefined ? {} : { interrupt_response: turnDetection.interruptResponse }),
                    },
            },
      output: output === null ? null : { format: output?.format ?? 'pcm16', ...(output?.voice === undefined ? {} : { voice: output.voice }) },
    };
    return new Promise<VoiceSettingsData>((resolve, reject) => {
      const done = () => {
        offStarted();
        offError();
        clearTimeout(timer);
      };
      const offStarted = this.client.on('voice_started', (message) => {
        if (message.reply_to !== id) return;
        done();
        this.settingsInForce = message.data;
        resolve(message.data);
      });
      const offError = this.client.on('error', (message) => {
        if (message.reply_to !== id) return;
        done();
        reject(VivaClientError.fromServer(message));
      });
      const timer = setTimeout(() => {
        done();
        reject(new VivaClientError('TIMEOUT', 'The server did not answer voice_start.', { retryable: true }));
      }, 15_000);
      if (!this.client.sendLive('voice_start', data, id)) {
        done();
        reject(new VivaClientError('NOT_CONNECTED', 'Not connected.', { retryable: true }));
      }
    });
  }
}
