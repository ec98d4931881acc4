/**
 * A token bucket per connection: `ratePerSecond` messages a second on average, bursts up to twice that.
 * A client that keeps sending after being told RATE_LIMITED is marked abusive and gets closed.
 */
export class MessageRateLimiter {
  private tokens: number;
  private updatedAt: number;
  private strikes = 0;

  constructor(
    private readonly ratePerSecond: number,
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
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.strikes = Math.max(0, this.strikes - 0.1);
      return 'allowed';
    }
    this.strikes += 1;
    return this.strikes > capacity ? 'abusive' : 'limited';
  }
}
