/** A finished recording, ready for `sendAudio`. */
export interface Recording {
  blob: Blob;
  /** A format hint for the server (`webm`, `ogg`, `mp4`, `wav`); the server trusts the bytes anyway. */
  format: string;
  durationMs: number;
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

  static isSupported(): boolean {
    return typeof MediaRecorder !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
  }

  get recording(): boolean {
    return this.recorder?.state === 'recording';
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
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    this.recorder = undefined;
    this.chunks = [];
  }
}

function formatOf(mimeType: string): string {
  if (mimeType.includes('webm')) return 'webm';
  if (mimeType.includes('ogg')) return 'ogg';
  if (mimeType.includes('mp4') || mimeType.includes('aac')) return 'mp4';
  if (mimeType.includes('wav')) return 'wav';
  return 'webm';
}
