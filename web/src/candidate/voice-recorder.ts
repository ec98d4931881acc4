/** A finished recording, ready for `sendAudio`. */
export interface Recording {
  blob: Blob;
  /** A format hint for the server (`webm`, `ogg`, `mp4`, `wav`); the server trusts the bytes anyway. */
  format: string;
  durationMs: number;
}

interface LevelMeter {
  context: AudioContext;
  analyser: AnalyserNode;
  samples: Float32Array<ArrayBuffer>;
}

export type RecorderFailure = 'unsupported' | 'denied' | 'failed';

export class RecorderError extends Error {
  override name = 'RecorderError';
  constructor(readonly reason: RecorderFailure, message: string) {
    super(message);
  }
}

// in order of preference: Opus in WebM (Chromium, Firefox), Opus in Ogg, then AAC in MP4 (Safari)
const preferredTypes = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];

/**
 * Records one answer at a time with MediaRecorder. The microphone is opened for each recording and released
 * right after, so the browser's recording indicator is on only while the candidate speaks.
 */
export class VoiceRecorder {
  private recorder: MediaRecorder | undefined;
  private stream: MediaStream | undefined;
  private chunks: Blob[] = [];
  private startedAt = 0;
  private meter: LevelMeter | undefined;

  static isSupported(): boolean {
    return typeof MediaRecorder !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
  }

  get recording(): boolean {
    return this.recorder?.state === 'recording';
  }

  /** Milliseconds since recording started; 0 when not recording. */
  get elapsedMs(): number {
    return this.recorder === undefined ? 0 : performance.now() - this.startedAt;
  }

  /**
   * How loud the microphone is right now, 0 to 1 (RMS of the last ~20 ms, scaled so speech reaches about
   * half); 0 when not recording or where Web Audio is missing. For a level meter, read every frame.
   */
  level(): number {
    const meter = this.meter;
    if (meter === undefined) return 0;
    meter.analyser.getFloatTimeDomainData(meter.samples);
    let sum = 0;
    for (const sample of meter.samples) sum += sample * sample;
    return Math.min(1, Math.sqrt(sum / meter.samples.length) * 4);
  }

  /** Opens the microphone (asking for permission the first time) and starts recording. */
  async start(): Promise<void> {
    if (!VoiceRecorder.isSupported()) throw new RecorderError('unsupported', 'MediaRecorder is not available');
    if (this.recorder !== undefined) return;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
    } catch (error) {
      const name = error instanceof DOMException ? error.name : '';
      const reason: RecorderFailure = name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'failed';
      throw new RecorderError(reason, error instanceof Error ? error.message : String(error));
    }
    const mimeType = preferredTypes.find((type) => MediaRecorder.isTypeSupported(type));
    const recorder = new MediaRecorder(stream, mimeType === undefined ? {} : { mimeType, audioBitsPerSecond: 48_000 });
    this.stream = stream;
    this.recorder = recorder;
    this.chunks = [];
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) this.chunks.push(event.data);
    });
    this.meter = openMeter(stream);
    this.startedAt = performance.now();
    // a timeslice makes the recorder hand over data as it goes, so a long answer is not one huge flush
    recorder.start(1000);
  }

  /** Stops and returns the recording. */
  stop(): Promise<Recording> {
    const recorder = this.recorder;
    if (recorder === undefined) return Promise.reject(new RecorderError('failed', 'not recording'));
    return new Promise((resolve, reject) => {
      recorder.addEventListener(
        'stop',
        () => {
          const type = recorder.mimeType || this.chunks[0]?.type || 'audio/webm';
          const blob = new Blob(this.chunks, { type });
          const durationMs = Math.round(performance.now() - this.startedAt);
          this.release();
          if (blob.size === 0) reject(new RecorderError('failed', 'the recording is empty'));
          else resolve({ blob, format: formatOf(type), durationMs });
        },
        { once: true },
      );
      recorder.stop();
    });
  }

  /** Stops without keeping anything. */
  cancel(): void {
    if (this.recorder?.state === 'recording') this.recorder.stop();
    this.release();
  }

  private release(): void {
    void this.meter?.context.close().catch(() => undefined);
    this.meter = undefined;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    this.recorder = undefined;
    this.chunks = [];
  }
}

/** An analyser on the microphone (not connected to the speakers); none where Web Audio is missing. */
function openMeter(stream: MediaStream): LevelMeter | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  try {
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    // started from the press (a user gesture), so the browser lets it run
    void context.resume().catch(() => undefined);
    return { context, analyser, samples: new Float32Array(analyser.fftSize) };
  } catch {
    return undefined;
  }
}

function formatOf(mimeType: string): string {
  if (mimeType.includes('webm')) return 'webm';
  if (mimeType.includes('ogg')) return 'ogg';
  if (mimeType.includes('mp4') || mimeType.includes('aac')) return 'mp4';
  if (mimeType.includes('wav')) return 'wav';
  return 'webm';
}
