/**
 * A circuit breaker per provider: after `failureThreshold` calls in a row fail for availability reasons
 * (after their retries), the circuit opens and calls fail at once for `cooldownMs`, so a dead model costs
 * a candidate no waiting (the built-in engine answers) and the endpoint is not hammered. Then one probe
 * call is let through (half-open): its success closes the circuit, its failure opens it again.
 */

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before a probe, milliseconds. */
  cooldownMs: number;
}

/** @default 5 failed calls in a row open the circuit for 30 s */
export const CIRCUIT_DEFAULTS: Readonly<CircuitBreakerOptions> = Object.freeze({ failureThreshold: 5, cooldownMs: 30_000 });

export class CircuitBreaker {
  private currentState: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(
    readonly name: string,
    private readonly options: CircuitBreakerOptions = CIRCUIT_DEFAULTS,
    private readonly onStateChange: (state: CircuitState) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    return this.currentState;
  }

  /** Whether a call may go ahead now; a true answer in the half-open state makes that call the probe. */
  tryAcquire(): boolean {
    if (this.currentState === 'closed') return true;
    if (this.currentState === 'open') {
      if (this.now() - this.openedAt < this.options.cooldownMs) return false;
      this.transition('half_open');
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.probeInFlight = false;
    if (this.currentState !== 'closed') this.transition('closed');
  }

  recordFailure(): void {
    this.probeInFlight = false;
    this.failures += 1;
    if (this.currentState === 'half_open' || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
      if (this.currentState !== 'open') this.transition('open');
    }
  }

  /** The call ended without saying anything about the provider (cancelled, or a bad request): let the next one probe. */
  release(): void {
    this.probeInFlight = false;
  }

  private transition(state: CircuitState): void {
    this.currentState = state;
    this.onStateChange(state);
  }
}
