/** A pause in refusals this long ends a flood: the client slowed down. */
const CALM_MS = 1_000;

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

  /** `allowed`, `limited` (answer RATE_LIMITED) or `abusive` (close the connection). */
  take(): 'allowed' | 'limited' | 'abusive' {
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
    return now - this.floodStartedAt >= this.floodMs ? 'abusive' : 'limited';
  }
}
