/** A pause in refusals this long ends a flood: the client slowed down. */
const CALM_MS = 1_000;
/** RATE_LIMITED answers a second, per allowed message a second (and the burst of answers). */
const ANSWERS_PER_MESSAGE = 10;

/**
 * A token bucket per connection: `ratePerSecond` messages a second on average, bursts up to twice that.
 * A burst past that only gets RATE_LIMITED answers (docs/protocol.md §4); a client refused again and again,
 * without a calm second, for `floodMs` is flooding and is marked abusive, to be closed.
 */
export class MessageRateLimiter {
  private tokens: number;
  private updatedAt: number;
  /** When the current run of refusals began, and when its last refusal was. */
  private floodStartedAt: number | undefined;
  private lastRefusedAt = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly floodMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = ratePerSecond * 2;
    this.updatedAt = now();
  }

  /**
   * `allowed`, `limited` (answer RATE_LIMITED), `dropped` (refused too, but not answered: see below) or
   * `abusive` (close the connection).
   */
  take(): 'allowed' | 'limited' | 'dropped' | 'abusive' {
    const now = this.now();
    const capacity = this.ratePerSecond * 2;
    this.tokens = Math.min(capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
    if (this.floodStartedAt !== undefined && now - this.lastRefusedAt > CALM_MS) this.floodStartedAt = undefined;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'allowed';
    }
    this.lastRefusedAt = now;
    this.floodStartedAt ??= now;
    if (now - this.floodStartedAt >= this.floodMs) return 'abusive';
    return this.takeAnswer(now) ? 'limited' : 'dropped';
  }

  // refusals are answered at up to ten times the message rate: every message of a burst gets its
  // RATE_LIMITED, but a flood cannot make the server write an error for each of its thousands of frames
  // (which would fill the flooder's send buffer and end in 4002 instead of the 1008 a flood earns)
  private answers: number | undefined;
  private answersAt = 0;

  private takeAnswer(now: number): boolean {
    const capacity = this.ratePerSecond * ANSWERS_PER_MESSAGE;
    this.answers = Math.min(capacity, (this.answers ?? capacity) + ((now - this.answersAt) / 1000) * capacity);
    this.answersAt = now;
    if (this.answers < 1) return false;
    this.answers -= 1;
    return true;
  }
}
