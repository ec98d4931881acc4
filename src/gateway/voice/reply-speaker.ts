import type { SpeechSynthesizer } from '../../interview/interview-ports.js';
import type { VoiceOutputFormat } from '@viva/protocol/voice-messages.js';
import { SentenceSplitter } from './sentence-splitter.js';

export interface SpokenOutput {
  voice: string;
  format: VoiceOutputFormat;
  sample_rate: number;
  language: string;
}

export interface ReplySpeakerEvents {
  audio(data: { turn: number; audio: string; format: VoiceOutputFormat; sample_rate?: number; text?: string }): void;
  done(data: { turn: number; duration_ms: number }): void;
  /** The voice failed; the reply's text still arrives. Called at most once. */
  failed(error: unknown): void;
  /** Milliseconds from asking for a sentence to its first audio (the first sentence only). */
  firstAudio(milliseconds: number): void;
}

/** A piece of the spoken reply on the playback timeline, for working out what a candidate heard. */
interface Segment {
  text: string;
  start_ms: number;
  end_ms: number;
}

/** How long sending a reply's audio may hold the event loop before it lets other work in, milliseconds. */
const SLICE_MS = 2;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** When a provider does not say how long its encoded audio plays: a speaking rate to estimate with. */
const ESTIMATED_MS_PER_CHARACTER = 70;
const ESTIMATED_MS_PER_CJK_CHARACTER = 220;

/**
 * Speaks one reply, sentence by sentence as its text streams in: each sentence is synthesized as soon as it
 * is complete, one at a time and in order, and its audio goes out chunk by chunk. Keeps the timeline of
 * what was said when, so a barge-in's `played_ms` can be turned into the words the candidate heard.
 */
export class ReplySpeaker {
  private readonly splitter = new SentenceSplitter();
  private readonly sentences: string[] = [];
  private readonly segments: Segment[] = [];
  private readonly controller = new AbortController();
  private turn: number | undefined;
  private received = 0;
  private finished = false;
  private ended = false;
  private failedOnce = false;
  private durationMs = 0;
  private wake: (() => void) | undefined;
  private firstAudioAt: number | undefined;
  private readonly firstAudioWaiters: Array<(at: number | undefined) => void> = [];
  /** Resolves when the last audio of the reply was sent (or the speaker stopped). */
  readonly completed: Promise<void>;

  constructor(
    private readonly synthesizer: SpeechSynthesizer,
    private readonly output: SpokenOutput,
    private readonly events: ReplySpeakerEvents,
    private readonly sessionId: string,
  ) {
    this.completed = this.run();
  }

  get turnNumber(): number | undefined {
    return this.turn;
  }

  /** Still speaking: not stopped and not all of the reply's audio sent yet. */
  get active(): boolean {
    return !this.controller.signal.aborted && !this.ended;
  }

  /** A piece of the reply's text (`ai_response_delta`). */
  addText(turn: number, delta: string): void {
    this.turn ??= turn;
    this.received += delta.length;
    this.enqueue(this.splitter.push(delta));
  }

  /**
   * The whole reply is known: speak what the deltas did not carry. Resolves with performance.now() of the
   * first audio sent, or undefined when there is none (text only, failed, stopped) or it takes too long.
   */
  finish(turn: number, reply: string, waitMs: number): Promise<number | undefined> {
    this.turn ??= turn;
    if (!this.finished) {
      this.finished = true;
      const rest = reply.length > this.received ? reply.slice(this.received) : '';
      const sentences = this.splitter.push(rest);
      const tail = this.splitter.flush();
      this.enqueue(tail === null ? sentences : [...sentences, tail]);
      this.wake?.();
    }
    if (this.firstAudioAt !== undefined || this.controller.signal.aborted || this.failedOnce) return Promise.resolve(this.firstAudioAt);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      this.firstAudioWaiters.push((at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  /** Barge-in or the connection went away: stop synthesizing and sending now. */
  stop(): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort();
    this.wake?.();
    this.resolveFirstAudio(undefined);
  }

  /** The words of this reply a listener heard in its first `playedMs`. */
  heardText(playedMs: number): string {
    const heard: string[] = [];
    for (const segment of this.segments) {
      if (segment.end_ms <= playedMs) {
        heard.push(segment.text);
        continue;
      }
      if (segment.start_ms < playedMs) {
        const share = (playedMs - segment.start_ms) / Math.max(1, segment.end_ms - segment.start_ms);
        heard.push(partOf(segment.text, share));
      }
      break;
    }
    return heard.filter((part) => part.length > 0).join(' ').trim();
  }

  private enqueue(sentences: string[]): void {
    if (sentences.length === 0) return;
    this.sentences.push(...sentences);
    this.wake?.();
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    for (;;) {
      if (signal.aborted) break;
      const sentence = this.sentences.shift();
      if (sentence === undefined) {
        if (this.finished) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      if (this.failedOnce) continue;
      await this.speak(sentence, signal);
    }
    this.ended = true;
    this.resolveFirstAudio(this.firstAudioAt);
    if (this.turn !== undefined) this.events.done({ turn: this.turn, duration_ms: Math.round(this.durationMs) });
  }

  private async speak(sentence: string, signal: AbortSignal): Promise<void> {
    const askedAt = performance.now();
    const startMs = this.durationMs;
    let first = true;
    let complete = false;
    let sliceStartedAt = performance.now();
    try {
      for await (const chunk of this.synthesizer.synthesize({
        text: sentence,
        voice: this.output.voice,
        format: this.output.format,
        sample_rate: this.output.sample_rate,
        language: this.output.language,
        abortSignal: signal,
        session_id: this.sessionId,
      })) {
        if (signal.aborted || this.turn === undefined) return;
        if (chunk.audio.length === 0) continue;
        this.events.audio({
          turn: this.turn,
          audio: chunk.audio.toString('base64'),
          format: chunk.format,
          ...(chunk.sample_rate !== undefined ? { sample_rate: chunk.sample_rate } : {}),
          ...(first ? { text: sentence } : {}),
        });
        this.durationMs += chunk.duration_ms;
        if (this.firstAudioAt === undefined) {
          this.firstAudioAt = performance.now();
          this.events.firstAudio(this.firstAudioAt - askedAt);
          this.resolveFirstAudio(this.firstAudioAt);
        }
        first = false;
        // a provider that answers faster than real time hands over a whole sentence at once, and reading an
        // already buffered body never leaves the microtask queue: let other sessions' events in between
        if (performance.now() - sliceStartedAt > SLICE_MS) {
          await yieldToEventLoop();
          sliceStartedAt = performance.now();
        }
      }
      complete = !signal.aborted;
    } catch (error) {
      if (signal.aborted) return;
      this.failedOnce = true;
      this.resolveFirstAudio(this.firstAudioAt);
      this.events.failed(error);
    } finally {
      // encoded formats do not say how long they play: estimate from the text so barge-in still works
      if (complete && this.durationMs === startMs) this.durationMs += estimateMs(sentence);
      if (this.durationMs > startMs) this.segments.push({ text: sentence, start_ms: startMs, end_ms: this.durationMs });
    }
  }

  private resolveFirstAudio(at: number | undefined): void {
    for (const waiter of this.firstAudioWaiters.splice(0)) waiter(at);
  }
}

function estimateMs(text: string): number {
  let total = 0;
  for (const character of text) total += /[\u3400-\u9fff]/.test(character) ? ESTIMATED_MS_PER_CJK_CHARACTER : ESTIMATED_MS_PER_CHARACTER;
  return total;
}

/** The first `share` of a sentence, cut at a word boundary (or a character, for CJK text). */
function partOf(text: string, share: number): string {
  if (share <= 0) return '';
  const words = text.split(/\s+/).filter((word) => word.length > 0);
  if (words.length > 1) return words.slice(0, Math.floor(words.length * share)).join(' ');
  return [...text].slice(0, Math.floor([...text].length * share)).join('');
}
