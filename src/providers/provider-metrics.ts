import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CircuitState } from './resilience/circuit-breaker.js';

/**
 * Prometheus metrics of the remote providers (language model and speech), registered on the process's
 * registry (`Metrics.registry`), so they appear on `/metrics` with the rest. Labels stay few and bounded:
 * `provider` (openai), `model` (from the configuration), `operation` (plan, reply, evaluate, transcribe).
 */
export class ProviderMetrics {
  private static readonly byRegistry = new WeakMap<Registry, ProviderMetrics>();

  /** The provider metrics of `registry`, made on first use (a registry refuses a metric twice). */
  static on(registry: Registry): ProviderMetrics {
    let metrics = ProviderMetrics.byRegistry.get(registry);
    if (metrics === undefined) {
      metrics = new ProviderMetrics(registry);
      ProviderMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  readonly requestDuration: Histogram<'provider' | 'model' | 'operation' | 'outcome'>;
  readonly firstTokenLatency: Histogram<'provider' | 'model' | 'operation'>;
  readonly tokens: Counter<'provider' | 'model' | 'direction'>;
  readonly errors: Counter<'provider' | 'model' | 'operation' | 'kind'>;
  readonly retries: Counter<'provider' | 'model' | 'operation'>;
  readonly fallbacks: Counter<'role' | 'reason'>;
  readonly circuitState: Gauge<'provider' | 'model'>;
  readonly speechRejected: Counter<'reason'>;

  private constructor(registry: Registry) {
    const registers = [registry];
    const buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];
    this.requestDuration = new Histogram({
      name: 'viva_provider_request_duration_seconds',
      help: 'Duration of remote model and speech calls, retries included, by outcome (ok, error, cancelled)',
      labelNames: ['provider', 'model', 'operation', 'outcome'] as const,
      buckets,
      registers,
    });
    this.firstTokenLatency = new Histogram({
      name: 'viva_provider_first_token_seconds',
      help: 'Time from a model call to its first text (time to first token)',
      labelNames: ['provider', 'model', 'operation'] as const,
      buckets,
      registers,
    });
    this.tokens = new Counter({
      name: 'viva_provider_tokens_total',
      help: 'Tokens sent to (in) and produced by (out) the language model; estimated when the server reports none',
      labelNames: ['provider', 'model', 'direction'] as const,
      registers,
    });
    this.errors = new Counter({
      name: 'viva_provider_errors_total',
      help: 'Failed attempts of remote calls, by kind (rate_limited, server_error, network, timeout, stream_cut, bad_output, circuit_open…)',
      labelNames: ['provider', 'model', 'operation', 'kind'] as const,
      registers,
    });
    this.retries = new Counter({
      name: 'viva_provider_retries_total',
      help: 'Remote calls retried after a retryable failure',
      labelNames: ['provider', 'model', 'operation'] as const,
      registers,
    });
    this.fallbacks = new Counter({
      name: 'viva_provider_fallbacks_total',
      help: 'Calls the built-in engine answered because the language model failed, by role and reason',
      labelNames: ['role', 'reason'] as const,
      registers,
    });
    this.circuitState = new Gauge({
      name: 'viva_provider_circuit_state',
      help: 'Circuit breaker of a provider: 0 closed, 1 half-open (probing), 2 open (failing fast)',
      labelNames: ['provider', 'model'] as const,
      registers,
    });
    this.speechRejected = new Counter({
      name: 'viva_provider_speech_rejected_total',
      help: 'Recordings answered with "no speech" (silence before sending, a known phantom transcript after)',
      labelNames: ['reason'] as const,
      registers,
    });
  }

  setCircuitState(labels: { provider: string; model: string }, state: CircuitState): void {
    this.circuitState.set(labels, state === 'closed' ? 0 : state === 'half_open' ? 1 : 2);
  }
}
