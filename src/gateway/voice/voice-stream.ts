import type { Logger } from 'pino';
import { LinearResampler, pcm16DurationMs, pcm16Samples, pcm16ToWav } from '../../audio/pcm16.js';
import { VAD_FRAME_SAMPLES, VAD_HANGOVER_MS, VAD_SAMPLE_RATE, type WebRtcVad } from '../../audio/webrtc-vad.js';
import { PendingInputSettled, type InterviewCoordinator, type TurnAudio, type VoiceTurnHooks } from '../../interview/interview-coordinator.js';
import type { SpeechRecognizer, SpeechSynthesizer } from '../../interview/interview-ports.js';
import type { VoiceStage } from '../../observability/metrics.js';
import { serverMessage, type ServerMessage } from '@viva/protocol/server-messages.js';
import { MAX_AUDIO_APPEND_BYTES, type VoiceInput, type VoiceSettingsData } from '@viva/protocol/voice-messages.js';
import { VivaError } from '@viva/protocol/viva-error.js';
import { ReplySpeaker, type SpokenOutput } from './reply-speaker.js';
import { TurnDetector, type TurnEvent } from './turn-detector.js';
import { UtteranceBuffer } from './utterance-buffer.js';

/** Audio kept from before the detected start of speech, so the first syllable is not clipped. */
const PREFIX_MS = 300;
/** Push-to-talk keeps more before speech is detected: the client, not the detector, decides there. */
const PUSH_TO_TALK_PREFIX_MS = 1_000;
/** One utterance is at most this long; past it the turn ends by itself. */
export const MAX_UTTERANCE_MS = 120_000;
/** audio_commit needs at least this much audio (as OpenAI's Realtime API does). */
const MIN_COMMIT_MS = 100;
/**
 * Interim transcripts of a whole-file recognizer: the growing utterance is sent again once it has grown by
 * half (at least 1 s) since the last one, one request at a time, for its first 60 s. The audio sent for
 * interim text is then at most about twice the utterance (1 + 1/1.5 + 1/1.5² + …), never a request per chunk.
 */
const INTERIM_MIN_GROWTH_MS = 1_000;
const INTERIM_GROWTH = 1.5;
const INTERIM_MAX_MS = 60_000;
/** Silence after which the candidate is nudged (once per silence). */
export const NUDGE_AFTER_MS = 30_000;
/** How long a durable reply waits for its first audio, so first_audio can be reported. */
const FIRST_AUDIO_WAIT_MS = 2_000;
/** Spoken replies remembered for playback_truncate. */
const SPOKEN_REPLIES_KEPT = 4;

export interface VoiceStreamOptions {
  sessionId: string;
  input: VoiceInput | null;
  output: SpokenOutput | null;
  coordinator: InterviewCoordinator;
  recognizer: SpeechRecognizer;
  synthesizer: SpeechSynthesizer | null;
  vad: WebRtcVad | null;
  send(message: ServerMessage): void;
  reportError(error: unknown): void;
  observe(stage: VoiceStage, milliseconds: number): void;
  logger: Logger;
}

/**
 * One connection's live voice (docs/protocol.md §9): the candidate's audio in, the detector's turn events, the
 * voice turns handed to the coordinator (which orders, stores and resumes them like any other turn), and
 * the interviewer's reply spoken back. Bound to the connection, and so to the node that holds it.
 */
export class VoiceStream {
  private readonly buffer: UtteranceBuffer | null;
  private readonly detector: TurnDetector | null;
  private readonly toVadRate: LinearResampler | null;
  private vadCarry = new Int16Array(0);
  private streamMs = 0;
  private heardSpeech = false;
  private utterance = 0;
  private interim: AbortController | undefined;
  private interimAtMs = 0;
  private silenceMs = 0;
  private nudged = false;
  private turnsRunning = 0;
  /** The storing of the newest committed utterance, until its speech_stopped is sent. */
  private acknowledging: Promise<void> | undefined;
  private readonly speakers: ReplySpeaker[] = [];
  /** Speakers of replies this stream did not start (text or HTTP turns), fed from what the connection is sent. */
  private readonly followed = new WeakSet<ReplySpeaker>();
  private closed = false;

  constructor(private readonly options: VoiceStreamOptions) {
    const input = options.input;
    const pushToTalk = input?.turn_detection === null;
    this.buffer = input ? new UtteranceBuffer(input.sample_rate, pushToTalk ? PUSH_TO_TALK_PREFIX_MS : PREFIX_MS, MAX_UTTERANCE_MS) : null;
    this.detector = input ? new TurnDetector(input.turn_detection?.silence_ms ?? MAX_UTTERANCE_MS, VAD_HANGOVER_MS) : null;
    this.toVadRate = input && input.sample_rate !== VAD_SAMPLE_RATE ? new LinearResampler(input.sample_rate, VAD_SAMPLE_RATE) : null;
  }

  /** The settings in force, for voice_started / voice_stopped. */
  settings(): VoiceSettingsData {
    const { input, output } = this.options;
    return {
      input: input ? { format: input.format, sample_rate: input.sample_rate, turn_detection: input.turn_detection } : null,
      output: output ? { voice: output.voice, format: output.format, ...(output.format === 'pcm16' ? { sample_rate: output.sample_rate } : {}) } : null,
    };
  }

  append(base64: string): void {
    const buffer = this.requireInput('audio_append');
    const pcm = Buffer.from(base64, 'base64');
    if (pcm.length > MAX_AUDIO_APPEND_BYTES) {
      throw new VivaError('PAYLOAD_TOO_LARGE', `An audio_append chunk may hold at most ${MAX_AUDIO_APPEND_BYTES} bytes of samples; send at most 1 s per message.`, {
        details: { field: 'data.audio', max_bytes: MAX_AUDIO_APPEND_BYTES, bytes: pcm.length },
      });
    }
    if (pcm.length === 0 || pcm.length % 2 !== 0) {
      throw new VivaError('INVALID_MESSAGE', `audio must be whole 16-bit samples (an even, non-zero number of bytes); got ${pcm.length} bytes.`, {
        details: { field: 'data.audio', bytes: pcm.length },
      });
    }
    const chunkMs = pcm16DurationMs(pcm.length, buffer.sampleRate);
    this.streamMs += chunkMs;
    buffer.append(pcm);
    for (const event of this.detect(pcm)) this.onTurnEvent(event);
    if (!this.heardSpeech) {
      buffer.trimToPrefix();
      this.noteSilence(chunkMs);
    } else {
      if (buffer.full) this.endTurn(this.detector?.stop() ?? null);
      else this.maybeInterim();
    }
  }

  /** audio_commit: the utterance ends now and its turn starts. */
  commit(): void {
    const buffer = this.requireInput('audio_commit');
    if (buffer.durationMs < MIN_COMMIT_MS) {
      throw new VivaError('INVALID_MESSAGE', `There is no audio to commit (${Math.round(buffer.durationMs)} ms buffered; at least ${MIN_COMMIT_MS} ms needed).`, {
        details: { field: 'type', buffered_ms: Math.round(buffer.durationMs) },
      });
    }
    this.endTurn(this.detector?.stop() ?? null);
  }

  /** audio_clear: drops the audio not yet committed. */
  clear(): void {
    this.requireInput('audio_clear').clear();
    this.detector?.reset();
    this.forgetUtterance();
  }

  /** playback_truncate: the candidate heard only the first `playedMs` of that turn's spoken reply. */
  async truncate(turn: number, playedMs: number): Promise<void> {
    if (this.options.input === null && this.options.output === null) throw notStarted('playback_truncate');
    const speaker = this.speakers.find((candidate) => candidate.turnNumber === turn);
    if (speaker === undefined) {
      throw new VivaError('INVALID_MESSAGE', `No spoken reply of turn ${turn} was sent on this connection.`, { details: { field: 'data.turn' } });
    }
    speaker.stop();
    await this.options.coordinator.recordHeard(this.options.sessionId, turn, speaker.heardText(playedMs));
  }

  /**
   * A message on its way to this connection. While the voice is on, replies to turns that did not come from
   * this stream's audio (typed answers, turns made over HTTP) are spoken too; voice turns feed their own.
   */
  observeDelivered(message: ServerMessage): void {
    if (message.type !== 'ai_response_delta' && message.type !== 'ai_response') return;
    const turn = message.data.turn;
    let speaker = this.speakers.find((candidate) => candidate.turnNumber === turn);
    if (speaker !== undefined && !this.followed.has(speaker)) return;
    if (message.type === 'ai_response_delta') {
      speaker ??= this.followNewReply();
      speaker?.addText(turn, message.data.delta);
      return;
    }
    if (message.data.cancelled === true) {
      speaker?.stop();
      return;
    }
    speaker ??= this.followNewReply();
    void speaker?.finish(turn, message.data.ai_response, 0);
  }

  /**
   * Speaks a reply delivered before this stream's voice output started (see
   * InterviewCoordinator.unansweredSpokenReply), unless the candidate is already talking again or this
   * stream speaks that turn already.
   */
  speakEarlierReply(turn: number, reply: string): void {
    if (this.closed || this.heardSpeech || this.turnsRunning > 0) return;
    if (this.speakers.some((speaker) => speaker.turnNumber === turn)) return;
    void this.newSpeaker()?.finish(turn, reply, 0);
  }

  private followNewReply(): ReplySpeaker | undefined {
    const speaker = this.newSpeaker();
    if (speaker !== undefined) this.followed.add(speaker);
    return speaker;
  }

  /** voice_stop, a new voice_start, or the connection closed. */
  dispose(): void {
    this.closed = true;
    this.forgetUtterance();
    this.buffer?.clear();
    for (const speaker of this.speakers) speaker.stop();
    this.options.vad?.free();
  }

  private requireInput(type: string): UtteranceBuffer {
    if (this.buffer === null) throw notStarted(type);
    return this.buffer;
  }

  /** Runs the detector over the chunk, 20 ms at a time at 16 kHz. */
  private detect(pcm: Buffer): TurnEvent[] {
    const { vad, detector } = { vad: this.options.vad, detector: this.detector };
    if (vad === null || detector === null) return [];
    let samples = pcm16Samples(pcm);
    if (this.toVadRate !== null) samples = this.toVadRate.push(samples);
    if (this.vadCarry.length > 0) {
      const joined = new Int16Array(this.vadCarry.length + samples.length);
      joined.set(this.vadCarry);
      joined.set(samples, this.vadCarry.length);
      samples = joined;
    }
    const events: TurnEvent[] = [];
    let offset = 0;
    for (; offset + VAD_FRAME_SAMPLES <= samples.length; offset += VAD_FRAME_SAMPLES) {
      const event = detector.push(vad.isSpeech(samples.subarray(offset, offset + VAD_FRAME_SAMPLES)));
      if (event !== null) events.push(event);
    }
    this.vadCarry = samples.slice(offset);
    return events;
  }

  private onTurnEvent(event: TurnEvent): void {
    const detection = this.options.input?.turn_detection ?? null;
    if (event.type === 'speech_started') {
      this.heardSpeech = true;
      this.silenceMs = 0;
      this.nudged = false;
      if (detection === null) return;
      this.sendInOrder(serverMessage('speech_started', this.options.sessionId, { audio_start_ms: Math.round(event.audio_start_ms) }));
      if (detection.interrupt_response) this.bargeIn();
      return;
    }
    // push-to-talk: the client ends the turn; the detector only says whether speech was heard
    if (detection === null) return;
    this.endTurn(event);
  }

  /** The candidate speaks over the interviewer: stop the reply being generated and spoken. */
  private bargeIn(): void {
    const speaking = this.speakers.some((speaker) => speaker.active);
    if (this.turnsRunning === 0 && !speaking) return;
    this.options.coordinator.cancel(this.options.sessionId);
    for (const speaker of this.speakers) speaker.stop();
  }

  private endTurn(event: (TurnEvent & { type: 'speech_stopped' }) | null): void {
    const buffer = this.buffer;
    if (buffer === null) return;
    const pcm = buffer.take();
    const trailingSilenceMs = event?.trailing_silence_ms ?? 0;
    const heardSpeech = this.heardSpeech;
    this.forgetUtterance();
    if (trailingSilenceMs > 0) this.options.observe('vad_end_of_turn', trailingSilenceMs);
    const detectedAt = performance.now();
    const speechEndedAt = detectedAt - trailingSilenceMs;
    const speaker = this.newSpeaker();
    let thinkingAt: number | undefined;
    let firstToken = true;
    const hooks: VoiceTurnHooks = {
      detectedAt,
      speechEndedAt,
      replyReady: async (turn, reply) => {
        const firstAudioAt = speaker ? await speaker.finish(turn, reply, FIRST_AUDIO_WAIT_MS) : undefined;
        if (firstAudioAt !== undefined) this.options.observe('voice_to_voice', firstAudioAt - speechEndedAt);
        return firstAudioAt;
      },
    };
    const sampleRate = buffer.sampleRate;
    const audio: TurnAudio = {
      audio: pcm16ToWav(pcm, sampleRate),
      format: 'wav',
      file_name: 'speech.wav',
      mime_type: 'audio/wav',
      duration_ms: Math.round(pcm16DurationMs(pcm.length, sampleRate)),
      // the detector heard speech: no second scan for silence (push-to-talk without speech is measured)
      ...(heardSpeech ? { silent: false } : {}),
    };
    const language = this.options.output?.language;
    const { coordinator, recognizer, sessionId } = this.options;
    // transcribing starts now, while the utterance is stored and the turn waits for its place in the session
    const transcribing = new AbortController();
    const transcription = recognizer.transcribe({ ...audio, language, abortSignal: transcribing.signal, session_id: sessionId });
    // when the turn never runs, nobody waits for it
    transcription.catch(() => undefined);
    const early = { result: transcription, abort: (reason: unknown) => transcribing.abort(reason) };
    const speechStopped = serverMessage('speech_stopped', sessionId, { audio_end_ms: Math.round(event?.audio_end_ms ?? this.streamMs) });
    this.turnsRunning += 1;
    // the utterance is stored before speech_stopped acknowledges it, so a node that dies from then on loses nothing
    const held = coordinator.holdUtterance(sessionId, audio, language);
    const acknowledged = held.then(
      () => this.options.send(speechStopped),
      () => undefined,
    );
    this.acknowledging = acknowledged;
    void acknowledged.then(() => {
      if (this.acknowledging === acknowledged) this.acknowledging = undefined;
    });
    held
      .then((pending) =>
        coordinator.processInput(sessionId, { kind: 'audio', audio, language, voice: hooks, pending, transcription: early }, {
          reply: (message) => this.options.send(message),
          observe: (message) => {
            if (message.type === 'transcription') this.options.observe('stt', performance.now() - detectedAt);
            else if (message.type === 'status' && message.data.state === 'thinking') thinkingAt = performance.now();
            else if (message.type === 'ai_response_delta') {
              if (firstToken && thinkingAt !== undefined) this.options.observe('model_first_token', performance.now() - thinkingAt);
              firstToken = false;
              speaker?.addText(message.data.turn, message.data.delta);
            }
          },
        }),
      )
      .catch((error: unknown) => {
        speaker?.stop();
        transcribing.abort();
        // answered already by resumePendingInputs (this connection reconnected meanwhile): its messages went out
        if (error instanceof PendingInputSettled) return;
        this.options.reportError(error);
      })
      .finally(() => {
        this.turnsRunning -= 1;
      });
  }

  /** Sends a turn event after the acknowledgement of the utterance before it, whose storing may still run. */
  private sendInOrder(message: ServerMessage): void {
    if (this.acknowledging === undefined) {
      this.options.send(message);
      return;
    }
    this.acknowledging = this.acknowledging.then(() => this.options.send(message));
  }

  private newSpeaker(): ReplySpeaker | undefined {
    const { output, synthesizer } = this.options;
    if (output === null || synthesizer === null || this.closed) return undefined;
    const sessionId = this.options.sessionId;
    const speaker = new ReplySpeaker(synthesizer, output, {
      audio: (data) => this.options.send(serverMessage('ai_audio_delta', sessionId, data)),
      done: (data) => this.options.send(serverMessage('ai_audio_done', sessionId, data)),
      failed: (error) => {
        this.options.logger.warn({ err: error, session_id: sessionId }, 'the spoken reply failed; its text is sent');
        this.options.reportError(new VivaError('TTS_FAILED', undefined, { cause: error }));
      },
      firstAudio: (milliseconds) => this.options.observe('tts_first_audio', milliseconds),
    }, sessionId);
    this.speakers.push(speaker);
    if (this.speakers.length > SPOKEN_REPLIES_KEPT) this.speakers.shift();
    return speaker;
  }

  /** Interim text for the utterance in progress, on the schedule described at INTERIM_GROWTH. */
  private maybeInterim(): void {
    const buffer = this.buffer;
    if (buffer === null || this.interim !== undefined) return;
    const utteranceMs = buffer.durationMs;
    if (utteranceMs > INTERIM_MAX_MS) return;
    if (utteranceMs - this.interimAtMs < Math.max(INTERIM_MIN_GROWTH_MS, this.interimAtMs * (INTERIM_GROWTH - 1))) return;
    this.interimAtMs = utteranceMs;
    const controller = new AbortController();
    this.interim = controller;
    const utterance = this.utterance;
    const pcm = Buffer.from(buffer.peek());
    this.options.recognizer
      .transcribe({
        audio: pcm16ToWav(pcm, buffer.sampleRate),
        format: 'wav',
        file_name: 'speech.wav',
        mime_type: 'audio/wav',
        duration_ms: Math.round(utteranceMs),
        // the detector heard speech: the recognizer need not scan the audio for silence again
        silent: false,
        language: this.options.output?.language,
        abortSignal: controller.signal,
        session_id: this.options.sessionId,
      })
      .then((result) => {
        const text = result.text.trim();
        if (controller.signal.aborted || utterance !== this.utterance || text.length === 0) return;
        if (this.detector !== null) this.detector.partialTranscript = text;
        this.options.send(serverMessage('transcription_delta', this.options.sessionId, { text, final: false }));
      })
      .catch(() => undefined) // interim text is best effort: the final transcription decides
      .finally(() => {
        if (this.interim === controller) this.interim = undefined;
      });
  }

  private forgetUtterance(): void {
    this.utterance += 1;
    this.heardSpeech = false;
    this.interimAtMs = 0;
    this.interim?.abort();
    this.interim = undefined;
    this.silenceMs = 0;
  }

  /** A long silence while nothing is happening gets one gentle nudge (a live status, not stored). */
  private noteSilence(chunkMs: number): void {
    const speaking = this.speakers.some((speaker) => speaker.active);
    if (this.turnsRunning > 0 || speaking) {
      this.silenceMs = 0;
      return;
    }
    this.silenceMs += chunkMs;
    if (this.nudged || this.silenceMs < NUDGE_AFTER_MS) return;
    this.nudged = true;
    this.options.send(
      serverMessage('status', this.options.sessionId, {
        state: 'idle',
        detail: `No speech heard for ${Math.round(NUDGE_AFTER_MS / 1000)} s. Take your time: answer when you are ready, or type your answer.`,
      }),
    );
  }
}

function notStarted(type: string): VivaError {
  return new VivaError('INVALID_MESSAGE', `${type} needs a voice stream with input: send voice_start first.`, { details: { field: 'type' } });
}
