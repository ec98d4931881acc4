import { VAD_FRAME_MS } from '../../audio/webrtc-vad.js';

/**
 * Where a candidate's turn starts and ends, from the detector's verdict on each 20 ms frame. Pure logic on
 * the stream's own clock (milliseconds of audio since voice_start), so it is the same at any speed.
 *
 * - Speech starts when 4 of the last 6 frames are speech (80 ms within 120 ms): a click or a cough of one
 *   or two frames neither starts a turn nor interrupts the interviewer.
 * - The turn ends after `silenceMs` without speech, counted from where speech ended: the detector's own
 *   hangover (`hangoverMs`, frames it still calls speech after speech) counts as silence.
 * - A pause that sounds unfinished (the interim transcript
 *   ends with "and", "so", "um", a comma, 然后, 就是…) gets a longer wait, so a candidate thinking aloud is
 *   not cut off mid-answer.
 */

const START_WINDOW = 6;
const START_VOICED = 4;
/** How much longer an unfinished-sounding pause may last: twice silence_ms, at least 1.5 s, at most 5 s. */
const UNFINISHED_FACTOR = 2;
const UNFINISHED_MIN_MS = 1_500;
const UNFINISHED_MAX_MS = 5_000;

const UNFINISHED_ENDING =
  /(?:\b(?:and|but|so|because|or|then|like|um+|uh+|er+|erm|hmm+|well|the|a|an|to|of|with|which|that)|[,，、:：;；…-]|然后|就是|那个|所以|因为|但是|而且|还有|嗯+|呃+|这个)\s*$/i;

export type TurnEvent = { type: 'speech_started'; audio_start_ms: number } | { type: 'speech_stopped'; audio_end_ms: number; trailing_silence_ms: number };

export class TurnDetector {
  private readonly recent: boolean[] = [];
  private speaking = false;
  private framesSeen = 0;
  private lastVoicedEndMs = 0;
  private silentFrames = 0;
  /** The transcript so far of the utterance in progress (interim), for the unfinished-pause rule. */
  partialTranscript = '';

  private startMs = 0;

  constructor(
    private readonly silenceMs: number,
    private readonly hangoverMs = 0,
  ) {}

  get inSpeech(): boolean {
    return this.speaking;
  }

  /** Stream time at the end of the frames seen so far. */
  get nowMs(): number {
    return this.framesSeen * VAD_FRAME_MS;
  }

  /** Milliseconds of silence after speech ended: the silent frames and the hangover before them. */
  get trailingSilenceMs(): number {
    return this.silentFrames === 0 ? 0 : this.silentFrames * VAD_FRAME_MS + this.hangoverMs;
  }

  /** The silence that ends the turn now: longer after an unfinished-sounding pause. */
  get endOfTurnSilenceMs(): number {
    if (!UNFINISHED_ENDING.test(this.partialTranscript.trim())) return this.silenceMs;
    return Math.min(UNFINISHED_MAX_MS, Math.max(this.silenceMs * UNFINISHED_FACTOR, UNFINISHED_MIN_MS));
  }

  /** Feeds one frame's verdict; returns the event it causes, if any. */
  push(voiced: boolean): TurnEvent | null {
    this.framesSeen += 1;
    const frameEnd = this.nowMs;
    if (voiced) {
      this.silentFrames = 0;
      this.lastVoicedEndMs = frameEnd;
    } else {
      this.silentFrames += 1;
    }
    if (!this.speaking) {
      this.recent.push(voiced);
      if (this.recent.length > START_WINDOW) this.recent.shift();
      const voicedCount = this.recent.filter(Boolean).length;
      if (voicedCount < START_VOICED) return null;
      this.speaking = true;
      const firstVoiced = this.recent.indexOf(true);
      const startMs = frameEnd - (this.recent.length - firstVoiced) * VAD_FRAME_MS;
      this.recent.length = 0;
      this.startMs = startMs;
      return { type: 'speech_started', audio_start_ms: startMs };
    }
    if (this.trailingSilenceMs < this.endOfTurnSilenceMs) return null;
    return this.stop();
  }

  /** Ends the turn now (audio_commit), whether or not speech was heard. */
  stop(): TurnEvent & { type: 'speech_stopped' } {
    const speechEndMs = this.silentFrames === 0 ? this.lastVoicedEndMs : Math.max(this.startMs, this.lastVoicedEndMs - this.hangoverMs);
    const event = { type: 'speech_stopped' as const, audio_end_ms: this.speaking ? speechEndMs : this.nowMs, trailing_silence_ms: this.speaking ? this.trailingSilenceMs : 0 };
    this.reset();
    return event;
  }

  /** Forgets the utterance in progress (audio_clear, or after a turn ended). */
  reset(): void {
    this.speaking = false;
    this.recent.length = 0;
    this.partialTranscript = '';
  }
}
