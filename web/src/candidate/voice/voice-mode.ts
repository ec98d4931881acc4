import { VivaVoice, isVivaClientError, type VivaClient, type VoiceOptions } from '@viva/client/index.js';
import type { Capabilities } from '@viva/protocol/voice-messages.js';
import type { MessageKey } from '../../shared/i18n.js';
import { MicrophoneError, MicrophoneStream } from './microphone-stream.js';
import { PcmPlayer } from './pcm-player.js';
import { VoicePanel } from './voice-panel.js';

export interface VoiceModeHooks {
  /** Push-to-talk is offered only where speech can be transcribed, and not while hands-free is on. */
  offerPushToTalk: (offered: boolean) => void;
  /** A problem to tell the candidate (shown by the composer). */
  warn: (key: MessageKey) => void;
}

/** The PCM16 rate the capture worklet produces. */
const INPUT_SAMPLE_RATE = 16_000;
const OUTPUT_SAMPLE_RATE = 24_000;

/**
 * Hands-free voice (docs/protocol.md §9) in the candidate app. The server's `capabilities` decide what is offered:
 * hands-free and push-to-talk need `speech_input`; the interviewer's voice, on by default, needs
 * `speech_output`. While hands-free is on, the microphone streams 100 ms PCM16 chunks after `voice_start`
 * with server VAD; the server says where a turn ends. The interviewer's reply plays as it arrives, and stops
 * the moment the server hears the candidate (`speech_started`), which then gets `playback_truncate`.
 *
 * Mute pauses the stream instead of sending silence: silence would end the turn, and a candidate who mutes
 * to cough or to answer the door mid-sentence does not mean that half sentence as their answer. Unmuted, the
 * same utterance goes on.
 *
 * The stream itself is the SDK's VivaVoice, which starts it again after a reconnect; a change of settings
 * (hands-free, the interviewer's voice) makes a new one, whose `voice_start` replaces the old stream.
 */
export class VoiceMode {
  readonly panel: VoicePanel;
  private capabilities: Capabilities | undefined;
  private context: AudioContext | undefined;
  private microphone: MicrophoneStream | undefined;
  private player: PcmPlayer | undefined;
  private handsFree = false;
  private muted = false;
  private voiceOutput = loadVoiceOutput();
  private client: VivaClient | undefined;
  /** The voice stream, and the settings it was made with (as JSON, to make a new one only on a change). */
  private voice: VivaVoice | undefined;
  private voiceKey: string | undefined;
  private inputStarted = false;
  private openingMicrophone = false;
  private ended = false;
  private readonly unlock = () => this.ensureContext();

  constructor(private readonly hooks: VoiceModeHooks) {
    this.panel = new VoicePanel({
      toggleHandsFree: () => void this.setHandsFree(!this.handsFree),
      toggleMute: () => this.setMuted(!this.muted),
      toggleVoiceOutput: () => this.setVoiceOutput(!this.voiceOutput),
    });
    this.panel.showVoiceOutput(this.voiceOutput);
  }

  get element(): HTMLElement {
    return this.panel.element;
  }

  attach(client: VivaClient): void {
    this.client = client;
    // browsers let a page make sound only after a click or key press on it: the audio context is made at the
    // first one, and a reply that arrives before (after a reload) stays text instead of playing late
    document.addEventListener('pointerdown', this.unlock, { capture: true, once: true });
    document.addEventListener('keydown', this.unlock, { capture: true, once: true });
    client.on('connected', (message) => {
      this.capabilities = message.data.capabilities;
      this.offer();
      this.sync();
    });
    client.on('state', (state) => {
      if (state === 'open') return;
      // the voice stream died with the connection: what was playing or half-said is gone (VivaVoice starts
      // a new stream when the client reconnects by itself; after a close, `connected` makes a new one)
      if (state === 'closed') this.dropVoice();
      this.player?.stop();
      this.panel.showCaption('');
    });
    client.on('voice_started', () => this.showListening());
    client.on('speech_started', () => this.onSpeechStarted());
    client.on('speech_stopped', () => {
      if (this.handsFree) this.panel.showStatus('voice.transcribing');
    });
    client.on('transcription_delta', (message) => this.panel.showCaption(message.data.text));
    client.on('transcription', () => {
      this.panel.showCaption('');
      this.showListening();
    });
    client.on('ai_audio_delta', (message) => {
      const { turn, audio, format, sample_rate } = message.data;
      // pcm16 is what voice_start asks for; anything else is not ours to play
      if (!this.voiceOutput || format !== 'pcm16') return;
      this.ensurePlayer()?.enqueue(turn, audio, sample_rate ?? OUTPUT_SAMPLE_RATE);
    });
  }

  /** The interview is over: the microphone closes and the controls go. */
  end(): void {
    this.ended = true;
    this.microphone?.stop();
    this.handsFree = false;
    this.player?.stop();
    this.panel.showHandsFree(false);
    this.panel.disable();
    this.voice?.stop();
    this.dropVoice();
  }

  /** The page leaves the interview. */
  close(): void {
    document.removeEventListener('pointerdown', this.unlock, { capture: true });
    document.removeEventListener('keydown', this.unlock, { capture: true });
    this.end();
    void this.context?.close();
    this.context = undefined;
  }

  private offer(): void {
    const input = this.capabilities?.speech_input === true;
    const output = this.capabilities?.speech_output === true;
    this.panel.offer({ input, output });
    // a server that says nothing about speech (older than 1.1) keeps the old behaviour: push-to-talk, which
    // answers STT_UNAVAILABLE when it must
    this.hooks.offerPushToTalk((this.capabilities === undefined || input) && !this.handsFree);
    if (!input && this.handsFree) void this.setHandsFree(false);
  }

  private async setHandsFree(on: boolean): Promise<void> {
    if (on === this.handsFree || this.ended || this.openingMicrophone) return;
    if (on) {
      const microphone = (this.microphone ??= new MicrophoneStream(this.ensureContext(), {
        chunk: (pcm) => this.append(pcm),
        level: (peak) => this.panel.showLevel(peak),
      }));
      // a second press while the permission prompt is up must not open a second microphone
      this.openingMicrophone = true;
      try {
        await microphone.start();
      } catch (error) {
        const reason = error instanceof MicrophoneError ? error.reason : 'failed';
        this.hooks.warn(reason === 'denied' ? 'voice.denied' : reason === 'unsupported' ? 'voice.handsFreeUnsupported' : 'voice.micFailed');
        return;
      } finally {
        this.openingMicrophone = false;
      }
      if (this.ended) {
        microphone.stop();
        return;
      }
      microphone.setMuted(this.muted);
    } else {
      this.microphone?.stop();
    }
    this.handsFree = on;
    this.panel.showHandsFree(on);
    this.panel.showCaption('');
    this.panel.showStatus(on ? 'voice.connecting' : undefined);
    this.offer();
    this.sync();
  }

  private setMuted(muted: boolean): void {
    this.muted = muted;
    this.microphone?.setMuted(muted);
    this.panel.showMuted(muted);
    this.showListening();
  }

  private setVoiceOutput(on: boolean): void {
    this.voiceOutput = on;
    saveVoiceOutput(on);
    this.panel.showVoiceOutput(on);
    // turned off mid-reply: silence at once; the reply's text is on screen, so nothing was missed
    if (!on) this.player?.stop();
    this.sync();
  }

  /** Starts, restarts or stops the voice stream when what it should carry has changed. */
  private sync(): void {
    const client = this.client;
    if (this.ended || client === undefined || client.state !== 'open' || this.capabilities === undefined) return;
    const input = this.handsFree && this.capabilities.speech_input;
    const options: VoiceOptions = {
      input,
      sampleRate: INPUT_SAMPLE_RATE,
      output: this.voiceOutput && this.capabilities.speech_output ? { format: 'pcm16' } : null,
    };
    const key = JSON.stringify(options);
    if (key === this.voiceKey) return;
    if (!input && options.output === null) {
      this.voice?.stop();
      this.dropVoice();
      return;
    }
    // the new stream's voice_start replaces the old one on the server: no voice_stop in between
    this.dropVoice();
    const voice = new VivaVoice(client, options);
    this.voice = voice;
    this.voiceKey = key;
    voice.start().then(
      () => {
        if (this.voice === voice) this.inputStarted = input;
      },
      (error: unknown) => {
        if (this.voice !== voice) return;
        this.dropVoice();
        if (isVivaClientError(error) && error.code === 'STT_UNAVAILABLE') {
          // the server lost its recognizer since `connected` said otherwise: hands-free cannot work there
          if (this.capabilities !== undefined) this.capabilities = { ...this.capabilities, speech_input: false };
          this.offer();
          this.hooks.warn('voice.unavailable');
        } else if (!isVivaClientError(error) || error.code !== 'NOT_CONNECTED') {
          this.hooks.warn('voice.micFailed');
        }
      },
    );
  }

  private dropVoice(): void {
    this.voice?.dispose();
    this.voice = undefined;
    this.voiceKey = undefined;
    this.inputStarted = false;
  }

  private append(pcm: ArrayBuffer): void {
    // chunks go only into a stream started with input; while reconnecting they are dropped (contract §9)
    if (this.handsFree && this.inputStarted) this.voice?.append(pcm);
  }

  /** Barge-in: the candidate speaks, so the interviewer stops at once and the server learns what was heard. */
  private onSpeechStarted(): void {
    const cut = this.player?.stop();
    if (cut !== undefined) this.voice?.truncate(cut.turn, cut.playedMs);
    if (this.handsFree) this.panel.showStatus(this.muted ? 'voice.muted' : 'voice.hearing');
  }

  private showListening(): void {
    if (this.handsFree) this.panel.showStatus(this.muted ? 'voice.muted' : 'voice.listening');
  }

  private ensureContext(): AudioContext {
    // one context for capture and playback: the worklet resamples to 16 kHz, AudioBuffers play at any rate
    this.context ??= new AudioContext({ latencyHint: 'interactive' });
    return this.context;
  }

  private ensurePlayer(): PcmPlayer | undefined {
    if (this.context === undefined) return undefined;
    this.player ??= new PcmPlayer(this.context, this.panel.element);
    return this.player;
  }
}

/** The candidate's choice about the interviewer's voice, kept across reloads (on unless turned off). */
const VOICE_OUTPUT_KEY = 'viva.voiceOutput.v1';

function loadVoiceOutput(): boolean {
  try {
    return localStorage.getItem(VOICE_OUTPUT_KEY) !== 'off';
  } catch {
    return true;
  }
}

function saveVoiceOutput(on: boolean): void {
  try {
    localStorage.setItem(VOICE_OUTPUT_KEY, on ? 'on' : 'off');
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
}
