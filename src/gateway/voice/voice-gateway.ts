import type { Logger } from 'pino';
import { loadVad, type VadFactory } from '../../audio/webrtc-vad.js';
import type { InterviewCoordinator } from '../../interview/interview-coordinator.js';
import type { SpeechRecognizer, SpeechSynthesizer } from '../../interview/interview-ports.js';
import { resolveSettings } from '../../interview/interview-settings.js';
import type { Metrics } from '../../observability/metrics.js';
import type { ClientMessage } from '@viva/protocol/client-messages.js';
import { serverMessage, type ServerMessage } from '@viva/protocol/server-messages.js';
import {
  VOICE_OUTPUT_SAMPLE_RATE,
  voiceInputSchema,
  type Capabilities,
  type VoiceClientMessageType,
  type VoiceStartData,
} from '@viva/protocol/voice-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import type { ClientConnection } from '../client-connection.js';
import type { SpokenOutput } from './reply-speaker.js';
import { VoiceStream } from './voice-stream.js';

type Fail = (error: unknown, replyTo: string | undefined) => void;

export type VoiceClientMessage = Extract<ClientMessage, { type: VoiceClientMessageType }>;

export interface VoiceGatewayOptions {
  coordinator: InterviewCoordinator;
  recognizer: SpeechRecognizer;
  /** The interviewer's voice; null: replies are text only. */
  synthesizer: SpeechSynthesizer | null;
  metrics: Metrics;
  logger: Logger;
}

interface Entry {
  stream: VoiceStream | null;
  /** A connection's voice messages are handled one after another (voice_start loads things first). */
  queue: Promise<void>;
}

/**
 * The §9 messages of each connection, dispatched from websocket-gateway.ts: one VoiceStream per connection
 * that started voice, made by `voice_start` and dropped by `voice_stop` or the connection's close.
 */
export class VoiceGateway {
  private readonly entries = new Map<ClientConnection, Entry>();
  private readonly bySession = new Map<string, Entry>();
  private vad: Promise<VadFactory> | undefined;

  constructor(private readonly options: VoiceGatewayOptions) {}

  /** What `connected` says about speech (docs/protocol.md §4). */
  capabilities(): Capabilities {
    const synthesizer = this.options.synthesizer;
    return {
      speech_input: this.speechInput,
      speech_output: synthesizer !== null,
      voice_input_formats: ['pcm16'],
      voices: synthesizer === null ? [] : [...synthesizer.voices],
    };
  }

  private get speechInput(): boolean {
    return this.options.recognizer.provider !== 'none';
  }

  /**
   * Handles one §9 message in this connection's order. A failure goes to `fail`, with the message's id when
   * the message itself failed (the connection stays); a voice turn's own failures come without one.
   */
  handle(connection: ClientConnection, message: VoiceClientMessage, fail: Fail): void {
    let entry = this.entries.get(connection);
    if (entry === undefined) {
      entry = { stream: null, queue: Promise.resolve() };
      this.entries.set(connection, entry);
      this.bySession.set(connection.sessionId, entry);
    }
    const current = entry;
    current.queue = current.queue.then(() => this.dispatch(connection, current, message, fail)).catch((error: unknown) => fail(error, message.id));
  }

  /** The connection closed: its uncommitted audio is dropped, its spoken reply stops. */
  detach(connection: ClientConnection): void {
    const entry = this.entries.get(connection);
    if (entry === undefined) return;
    this.entries.delete(connection);
    if (this.bySession.get(connection.sessionId) === entry) this.bySession.delete(connection.sessionId);
    entry.stream?.dispose();
    entry.stream = null;
  }

  /** A message delivered to a session's live connection on this node (see VoiceStream.observeDelivered). */
  observeDelivered(sessionId: string, message: ServerMessage): void {
    this.bySession.get(sessionId)?.stream?.observeDelivered(message);
  }

  private async dispatch(connection: ClientConnection, entry: Entry, message: VoiceClientMessage, fail: Fail): Promise<void> {
    if (connection.closed) return;
    switch (message.type) {
      case 'voice_start': {
        const stream = await this.start(connection, message.data, fail);
        entry.stream?.dispose();
        entry.stream = stream;
        if (connection.closed) {
          stream.dispose();
          return;
        }
        connection.deliver(serverMessage('voice_started', connection.sessionId, stream.settings(), { reply_to: message.id }));
        if (stream.settings().output !== null) void this.speakEarlierReply(connection, entry, stream);
        return;
      }
      case 'voice_stop': {
        const stream = entry.stream;
        entry.stream = null;
        stream?.dispose();
        const settings = stream?.settings() ?? { input: null, output: null };
        connection.deliver(serverMessage('voice_stopped', connection.sessionId, settings, { reply_to: message.id }));
        return;
      }
      case 'audio_append':
        return this.requireStream(entry, message.type).append(message.data.audio);
      case 'audio_commit':
        return this.requireStream(entry, message.type).commit();
      case 'audio_clear':
        return this.requireStream(entry, message.type).clear();
      case 'playback_truncate':
        return this.requireStream(entry, message.type).truncate(message.data.turn, message.data.played_ms);
    }
  }

  /** A reply the candidate has not heard, to a spoken turn answered while no voice listened (a restart, a reconnect). */
  private async speakEarlierReply(connection: ClientConnection, entry: Entry, stream: VoiceStream): Promise<void> {
    try {
      const earlier = await this.options.coordinator.unansweredSpokenReply(connection.sessionId);
      if (earlier !== undefined && entry.stream === stream && !connection.closed) stream.speakEarlierReply(earlier.turn, earlier.reply);
    } catch (error) {
      this.options.logger.warn({ err: error, session_id: connection.sessionId }, 'could not look up the reply to speak again');
    }
  }

  private requireStream(entry: Entry, type: string): VoiceStream {
    if (entry.stream === null) {
      throw new VivaError('INVALID_MESSAGE', `${type} needs a voice stream: send voice_start first.`, { details: { field: 'type' } });
    }
    return entry.stream;
  }

  private async start(connection: ClientConnection, data: VoiceStartData, fail: Fail): Promise<VoiceStream> {
    const { coordinator, recognizer, synthesizer, metrics, logger } = this.options;
    // absent: input with the defaults; null: no input (the interviewer's voice only)
    const input = data.input === null ? null : (data.input ?? voiceInputSchema.parse({}));
    if (input !== null && !this.speechInput) {
      throw new VivaError('STT_UNAVAILABLE', 'This server has no speech recognizer configured (STT_PROVIDER=none), so it cannot take voice. Answer in text, or start voice with input: null.');
    }
    const session = await coordinator.requireSession(connection.sessionId);
    const language = resolveSettings(session.settings).language;
    const output = this.outputFor(data, language);
    if (output !== null) synthesizer?.warmUp?.();
    const sessionId = connection.sessionId;
    const vad = input === null ? null : (await (this.vad ??= loadVad())).create();
    return new VoiceStream({
      sessionId,
      input,
      output,
      coordinator,
      recognizer,
      synthesizer,
      vad,
      send: (message: ServerMessage) => void connection.deliver(message),
      reportError: (error) => fail(error, undefined),
      observe: (stage, milliseconds) => metrics.observeVoice(stage, milliseconds),
      logger,
    });
  }

  /**
   * The voice in force: the one asked for when the synthesizer has it (any name, for an endpoint), else
   * the default for the interview's language; a format the provider cannot make falls back to pcm16.
   */
  private outputFor(data: VoiceStartData, language: string): SpokenOutput | null {
    const synthesizer = this.options.synthesizer;
    if (data.output === null || synthesizer === null) return null;
    const asked = data.output ?? { format: 'pcm16' as const };
    const format = synthesizer.formats.includes(asked.format) ? asked.format : 'pcm16';
    const known = asked.voice !== undefined && (synthesizer.provider !== 'builtin' || synthesizer.voices.includes(asked.voice));
    const fallback = synthesizer.provider === 'builtin' ? (language === 'zh' ? 'cmn' : 'en-us') : (synthesizer.voices[0] ?? 'default');
    return { voice: known && asked.voice !== undefined ? asked.voice : fallback, format, sample_rate: VOICE_OUTPUT_SAMPLE_RATE, language };
  }
}
