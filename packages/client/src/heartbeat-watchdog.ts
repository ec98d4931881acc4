type Timer = ReturnType<typeof setInterval>;

export interface HeartbeatHooks {
  /** Ask the server for traffic (an application-level `ping`). */
  sendPing(): void;
  /** Nothing arrived for two intervals, not even the answer to a ping: the connection is dead. */
  dead(): void;
}

/**
 * Detects a dead connection from the client's side. Browsers never show protocol-level pings to
 * scripts, and a half-open TCP connection (a laptop waking up, a NAT that forgot us) delivers no close
 * event for minutes; so after one silent interval the client sends a `ping`, and when that goes
 * unanswered too (two intervals with nothing at all) the connection is taken for dead.
 *
 * "Dead" needs an unanswered ping that is a whole interval old, not just a silent clock: a throttled
 * background tab may run this check a minute late, and must not drop a healthy connection for that.
 */
export class HeartbeatWatchdog {
  private lastHeardAt: number;
  private lastPingAt = Number.NEGATIVE_INFINITY;
  private timer: Timer | undefined;

  constructor(
    /** `heartbeat_interval_ms` of the server, milliseconds. */
    private readonly intervalMs: number,
    private readonly hooks: HeartbeatHooks,
    private readonly now: () => number = Date.now,
  ) {
    this.lastHeardAt = now();
  }

  start(): void {
    this.stop();
    this.lastHeardAt = this.now();
    const period = Math.max(10, Math.min(5_000, Math.floor(this.intervalMs / 4)));
    this.timer = setInterval(() => this.check(), period);
    // a watchdog alone must not keep a Node process alive (the socket does, while it is open)
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Anything arrived from the server. */
  heard(): void {
    this.lastHeardAt = this.now();
  }

  check(): void {
    const now = this.now();
    const silentFor = now - this.lastHeardAt;
    const pingUnanswered = this.lastPingAt > this.lastHeardAt;
    if (pingUnanswered && now - this.lastPingAt >= this.intervalMs && silentFor >= 2 * this.intervalMs) {
      this.stop();
      this.hooks.dead();
      return;
    }
    if (!pingUnanswered && silentFor >= this.intervalMs) {
      this.lastPingAt = now;
      this.hooks.sendPing();
    }
  }
}
