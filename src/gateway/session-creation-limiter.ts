/**
 * Sessions created per remote address per minute (a fixed one-minute window per address). Bounded:
 * addresses whose window has passed are dropped on the next sweep.
 */
export class SessionCreationLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();
  private lastSweep = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `address` may create another session now. */
  allows(address: string): boolean {
    const window = this.current(address);
    return window === undefined || window.count < this.perMinute;
  }

  record(address: string): void {
    const now = this.now();
    const window = this.current(address);
    if (window === undefined) this.windows.set(address, { startedAt: now, count: 1 });
    else window.count += 1;
    this.sweep(now);
  }

  private current(address: string): { startedAt: number; count: number } | undefined {
    const window = this.windows.get(address);
    if (window !== undefined && this.now() - window.startedAt >= 60_000) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [address, window] of this.windows) if (now - window.startedAt >= 60_000) this.windows.delete(address);
  }
}
