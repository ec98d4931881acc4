import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createLogger } from '../../observability/logger.js';
import { ProviderError } from '../provider-error.js';
import { ProviderMetrics } from '../provider-metrics.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ResilientCall, runResilient, type CallDescription, type ResilienceOptions } from './resilient-call.js';
import { RETRY_DEFAULTS } from './retry-policy.js';

const FAST = { ...RETRY_DEFAULTS, baseDelayMs: 2, maxDelayMs: 5 };

function setup(budgetMs = 2_000): { options: ResilienceOptions; registry: Registry; breaker: CircuitBreaker } {
  const registry = new Registry();
  const breaker = new CircuitBreaker('test', { failureThreshold: 2, cooldownMs: 60_000 });
  return { options: { breaker, metrics: ProviderMetrics.on(registry), logger: createLogger('silent'), retry: FAST, budgetMs }, registry, breaker };
}

const description: CallDescription = {
  provider: 'fake',
  model: 'voice-1',
  operation: 'synthesize',
  subject: 'The voice',
  logMessage: 'synthesis call',
  retryLogMessage: 'synthesis failed; retrying',
};

async function counter(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  const values = (metric?.values ?? []) as Array<{ labels: Record<string, string | number>; value: number }>;
  return values.filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted)).reduce((sum, value) => sum + value.value, 0);
}

/**
 * A port that is not a language model, wrapped the way docs/providers.md says a speech synthesizer would be:
 * retried until its first chunk, then streamed through; the runner knows nothing of audio.
 */
async function* synthesize(options: ResilienceOptions, vendor: (signal: AbortSignal) => AsyncIterable<string>): AsyncGenerator<string> {
  const call = new ResilientCall(options, description);
  let finished = false;
  let iterator: AsyncIterator<string> | undefined;
  try {
    const opened = await call.attempt(async (signal) => {
      const attempt = vendor(signal)[Symbol.asyncIterator]();
      return { iterator: attempt, first: await attempt.next() };
    });
    call.stopBudget();
    iterator = opened.iterator;
    for (let next = opened.first; next.done !== true; next = await iterator.next()) yield next.value;
    finished = true;
    call.succeeded();
  } catch (error) {
    finished = true;
    throw call.failed(error);
  } finally {
    call.close();
    if (!finished) {
      call.abandoned();
      await iterator?.return?.();
    }
  }
}

describe('the shared provider runner (ResilientCall)', () => {
  it('retries a stream until its first chunk, then passes every chunk on, counting one retry', async () => {
    const { options, registry } = setup();
    let attempts = 0;
    const chunks: string[] = [];
    for await (const chunk of synthesize(options, async function* () {
      attempts += 1;
      if (attempts === 1) throw new ProviderError('server_error', 'upstream 503', { status: 503 });
      yield 'a';
      yield 'b';
    })) {
      chunks.push(chunk);
    }
    assert.deepEqual(chunks, ['a', 'b']);
    assert.equal(attempts, 2);
    assert.equal(await counter(registry, 'viva_provider_retries_total', { operation: 'synthesize' }), 1);
    assert.equal(await counter(registry, 'viva_provider_errors_total', { operation: 'synthesize', kind: 'server_error' }), 1);
  });

  it('a consumer that stops early is no verdict on the provider: the breaker lets the next call through', async () => {
    const { options, breaker } = setup();
    for (let round = 0; round < 3; round += 1) {
      for await (const chunk of synthesize(options, async function* () {
        yield 'first';
        yield 'never read';
      })) {
        assert.equal(chunk, 'first');
        break;
      }
    }
    assert.equal(breaker.state, 'closed');
  });

  it('a spent budget is a timeout, outages open the breaker, and an open breaker refuses at once', async () => {
    const { options, breaker } = setup(30);
    const hang = (signal: AbortSignal) =>
      new Promise<string>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    for (let round = 0; round < 2; round += 1) {
      await assert.rejects(runResilient(options, description, hang), (error: unknown) => error instanceof ProviderError && error.kind === 'timeout');
    }
    assert.equal(breaker.state, 'open');
    await assert.rejects(
      runResilient(options, description, async () => 'unreached'),
      (error: unknown) => error instanceof ProviderError && error.kind === 'circuit_open' && /The voice failed repeatedly/.test(error.message),
    );
  });

  it("passes the caller's abort reason through untouched, and does not count it against the provider", async () => {
    const { options, breaker } = setup();
    const controller = new AbortController();
    const reason = new Error('cancelled by the candidate');
    setTimeout(() => controller.abort(reason), 10);
    await assert.rejects(
      runResilient(options, { ...description, abortSignal: controller.signal }, (signal) =>
        new Promise<string>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })),
      ),
      (error: unknown) => error === reason,
    );
    assert.equal(breaker.state, 'closed');
    assert.equal(await runResilient(options, description, async () => 'spoken'), 'spoken');
  });
});
