/**
 * Plays the interviewer's voice (`ai_audio_delta`, PCM16 at 24 kHz) through Web Audio: each piece becomes an
 * AudioBuffer scheduled right after the previous one, so pieces join without gaps however they arrive.
 * `stop` silences everything at once (barge-in) and says how much of the turn was heard.
 *
 * The element given as `marker` carries `data-voice-playing` and `data-voice-played-turns` (turns whose audio
 * began to play): the end-to-end test reads them, and CSS can show a speaking state.
 */
export class PcmPlayer {
  private readonly sources = new Set<AudioBufferSourceNode>();
  /** The turn being played, when its first piece started (context time), and where its audio ends. */
  private turn: number | undefined;
  private turnStartedAt = 0;
  private endsAt = 0;
  /** Turns cut short: pieces still arriving for them are dropped. */
  private readonly stopped = new Set<number>();
  private readonly played = new Set<number>();

  constructor(
    private readonly context: AudioContext,
    private readonly marker: HTMLElement,
  ) {}

  /** Whether the interviewer's voice is audible now. */
  get playing(): boolean {
    return this.turn !== undefined && this.context.currentTime < this.endsAt;
  }

  /** Queues one piece of `turn`'s reply: base64 of little-endian PCM16 mono at `sampleRate`. */
  enqueue(turn: number, base64: string, sampleRate: number): void {
    if (this.stopped.has(turn)) return;
    const samples = decodePcm16(base64);
    if (samples.length === 0) return;
    if (this.turn !== turn) {
      // a new reply replaces whatever is left of an older one
      this.silence();
      this.turn = turn;
      this.turnStartedAt = Math.max(this.context.currentTime, 0);
      this.endsAt = this.turnStartedAt;
    }
    const buffer = this.context.createBuffer(1, samples.length, sampleRate);
    buffer.copyToChannel(samples, 0);
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.context.destination);
    const startAt = Math.max(this.context.currentTime, this.endsAt);
    if (this.sources.size === 0 && this.endsAt <= this.context.currentTime) {
      // playback ran dry and starts again: the time heard so far is still the audio played, not the wall clock
      this.turnStartedAt += startAt - this.endsAt;
    }
    source.start(startAt);
    this.endsAt = startAt + buffer.duration;
    this.sources.add(source);
    source.addEventListener('ended', () => {
      this.sources.delete(source);
      this.showState();
    });
    this.played.add(turn);
    this.showState();
    void this.context.resume();
  }

  /**
   * Stops at once. Returns the turn and the milliseconds of it that were heard, when it was still playing
   * (the caller sends `playback_truncate`); later pieces of that turn are ignored.
   */
  stop(): { turn: number; playedMs: number } | undefined {
    const turn = this.turn;
    if (turn === undefined) return undefined;
    const wasPlaying = this.playing;
    const playedMs = Math.max(0, Math.round((Math.min(this.context.currentTime, this.endsAt) - this.turnStartedAt) * 1000));
    this.stopped.add(turn);
    this.silence();
    return wasPlaying ? { turn, playedMs } : undefined;
  }

  private silence(): void {
    for (const source of this.sources) {
      try {
        source.stop();
      } catch {
        // not started yet in some engines: disconnecting is enough
      }
      source.disconnect();
    }
    this.sources.clear();
    this.turn = undefined;
    this.endsAt = 0;
    this.showState();
  }

  private showState(): void {
    const playing = this.sources.size > 0;
    this.marker.dataset.voicePlaying = String(playing);
    this.marker.dataset.voicePlayedTurns = [...this.played].join(' ');
  }
}

function decodePcm16(base64: string): Float32Array<ArrayBuffer> {
  const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  const samples = new Float32Array(Math.floor(bytes.length / 2));
  for (let index = 0; index < samples.length; index += 1) samples[index] = view.getInt16(index * 2, true) / 0x8000;
  return samples;
}
