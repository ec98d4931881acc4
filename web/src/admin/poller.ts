/**
 * Runs `task` every `intervalMs`, never two at a time (the next run is scheduled when one finishes, so a
 * slow server is not flooded), and skips runs while the tab is hidden.
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private stopped = true;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    void this.runNow();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Runs at once (a selection changed) and restarts the interval from here. */
  async runNow(): Promise<void> {
    clearTimeout(this.timer);
    if (this.stopped) return;
    if (this.running) {
      // a run is in flight with stale inputs: run once more right after it
      this.again = true;
      return;
    }
    this.running = true;
    this.again = false;
    try {
      if (document.visibilityState !== 'hidden') await this.task();
    } finally {
      this.running = false;
      if (!this.stopped) this.timer = setTimeout(() => void this.runNow(), this.again ? 0 : this.intervalMs);
    }
  }
}
