import workletUrl from './pcm-capture-worklet.ts?worker&url';
import type { CaptureChunk } from './pcm-capture-worklet.js';

export type MicrophoneFailure = 'unsupported' | 'denied' | 'failed';

export class MicrophoneError extends Error {
  override name = 'MicrophoneError';
  constructor(
    readonly reason: MicrophoneFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface MicrophoneHandlers {
  /** 100 ms of 16 kHz PCM16 (little-endian); none while muted. */
  chunk: (pcm: ArrayBuffer) => void;
  /** Peak level of the last chunk, 0 to 1 (0 while muted). */
  level: (peak: number) => void;
}

/**
 * The open microphone of hands-free mode: getUserMedia → MediaStreamAudioSourceNode → the capture worklet,
 * which hands back PCM16 at 16 kHz. Muting disables the track (the browser's indicator shows it) and stops
 * the chunks: see VoiceMode for why muting pauses rather than sends silence.
 */
export class MicrophoneStream {
  private stream: MediaStream | undefined;
  private source: MediaStreamAudioSourceNode | undefined;
  private node: AudioWorkletNode | undefined;
  private muted = false;

  constructor(
    private readonly context: AudioContext,
    private readonly handlers: MicrophoneHandlers,
  ) {}

  static isSupported(): boolean {
    return typeof AudioWorkletNode !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
  }

  get open(): boolean {
    return this.node !== undefined;
  }

  async start(): Promise<void> {
    if (this.node !== undefined) return;
    if (!MicrophoneStream.isSupported()) throw new MicrophoneError('unsupported', 'AudioWorklet or getUserMedia is not available');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (error) {
      const name = error instanceof DOMException ? error.name : '';
      const reason: MicrophoneFailure = name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'failed';
      throw new MicrophoneError(reason, error instanceof Error ? error.message : String(error));
    }
    try {
      // addModule of the same URL again is a no-op, so a second start costs nothing
      await this.context.audioWorklet.addModule(workletUrl);
      await this.context.resume();
      const node = new AudioWorkletNode(this.context, 'viva-pcm-capture', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1 });
      node.port.onmessage = (event: MessageEvent<CaptureChunk>) => {
        if (this.muted) return;
        this.handlers.level(event.data.peak);
        this.handlers.chunk(event.data.pcm);
      };
      const source = this.context.createMediaStreamSource(stream);
      source.connect(node);
      this.stream = stream;
      this.source = source;
      this.node = node;
      for (const track of stream.getAudioTracks()) track.enabled = !this.muted;
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      throw new MicrophoneError('failed', error instanceof Error ? error.message : String(error));
    }
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = !muted;
    if (muted) this.handlers.level(0);
  }

  /** Closes the microphone (the browser's recording indicator goes off). */
  stop(): void {
    if (this.node !== undefined) this.node.port.onmessage = null;
    this.source?.disconnect();
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.node = undefined;
    this.source = undefined;
    this.stream = undefined;
    this.handlers.level(0);
  }
}
