import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createLogger } from '../../src/observability/logger.js';
import type { StreamPart } from '../../src/providers/language-model.js';
import { createOpenAiClient } from '../../src/providers/openai/openai-client.js';
import { OpenAiLanguageModel } from '../../src/providers/openai/openai-language-model.js';
import { ProviderError } from '../../src/providers/provider-error.js';
import { ProviderMetrics } from '../../src/providers/provider-metrics.js';
import { CircuitBreaker } from '../../src/providers/resilience/circuit-breaker.js';
import { ResilientLanguageModel } from '../../src/providers/resilience/resilient-language-model.js';
import { RETRY_DEFAULTS, backoffDelayMs, parseRetryAfter, retryDelayMs, withRetries } from '../../src/providers/resilience/retry-policy.js';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';

const logger = createLogger('silent');
const FAST = { ...RETRY_DEFAULTS, baseDelayMs: 5, maxDelayMs: 20 };

describe('the retry policy', () => {
  it('backs off exponentially with full jitter, capped', () => {
    assert.equal(backoffDelayMs(1, RETRY_DEFAULTS, () => 0), 0);
    assert.equal(backoffDelayMs(1, RETRY_DEFAULTS, () => 0.999_999), 249);
    assert.equal(backoffDelayMs(2, RETRY_DEFAULTS, () => 0.999_999), 499);
    assert.equal(backoffDelayMs(10, RETRY_DEFAULTS, () => 0.999_999), 3_999, 'capped at maxDelayMs');
    const samples = Array.from({ length: 200 }, () => backoffDelayMs(3));
    assert.ok(samples.every((sample) => sample >= 0 && sample < 1_000));
    assert.ok(new Set(samples).size > 50, 'jittered');
  });

  it('retries only what may succeed later, and honours retry-after up to a cap', () => {
    const limited = new ProviderError('rate_limited', 'slow down', { status: 429, retryAfterMs: 1_500 });
    assert.equal(retryDelayMs(limited, 1), 1_500);
    assert.equal(retryDelayMs(limited, 3), undefined, 'attempts used up');
    assert.equal(retryDelayMs(new ProviderError('rate_limited', 'wait long', { retryAfterMs: 60_000 }), 1), undefined, 'not worth waiting for');
    assert.equal(retryDelayMs(new ProviderError('auth', 'bad key', { status: 401 }), 1), undefined);
    assert.equal(retryDelayMs(new ProviderError('bad_request', 'no', { status: 400 }), 1), undefined);
    for (const kind of ['server_error', 'conflict', 'network', 'stream_cut'] as const) {
      assert.notEqual(retryDelayMs(new ProviderError(kind, 'try again'), 1), undefined, kind);
    }
    assert.equal(retryDelayMs(new Error('a bug'), 1), undefined);
  });

  it('reads retry-after-ms, retry-after seconds and dates', () => {
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '250' })), 250);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '2' })), 2_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now), 3_000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'soon' })), undefined);
    assert.equal(parseRetryAfter(new Headers()), undefined);
  });

  it('stops waiting as soon as the call is aborted', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('stop')), 30);
    await assert.rejects(
      withRetries(
        async () => {
          attempts += 1;
          throw new ProviderError('rate_limited', 'wait', { retryAfterMs: 5_000 });
        },
        { signal: controller.signal, policy: { ...RETRY_DEFAULTS, maxRetryAfterMs: 10_000 } },
      ),
      /stop/,
    );
    assert.equal(attempts, 1);
    assert.ok(performance.now() - started < 1_000);
  });
});

describe('the circuit breaker', () => {
  it('opens after repeated failures, probes once after the cooldown, and closes on success', () => {
    let now = 0;
    const states: string[] = [];
    const breaker = new CircuitBreaker('test', { failureThreshold: 3, cooldownMs: 1_000 }, (state) => states.push(state), () => now);
    for (let failure = 0; failure < 3; failure += 1) {
      assert.equal(breaker.tryAcquire(), true);
      breaker.recordFailure();
    }
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.tryAcquire(), false);
    now = 1_000;
    assert.equal(breaker.tryAcquire(), true, 'one probe');
    assert.equal(breaker.tryAcquire(), false, 'only one');
    breaker.recordFailure();
    assert.equal(breaker.state, 'open', 'a failed probe opens it again');
    now = 2_000;
    assert.equal(breaker.tryAcquire(), true);
    breaker.recordSuccess();
    assert.equal(breaker.state, 'closed');
    assert.deepEqual(states, ['open', 'half_open', 'open', 'half_open', 'closed']);
  });

  it('is not tripped by failures spread between successes', () => {
    const breaker = new CircuitBreaker('test', { failureThreshold: 2, cooldownMs: 1_000 });
    for (let round = 0; round < 5; round += 1) {
      breaker.recordFailure();
      breaker.recordSuccess();
    }
    assert.equal(breaker.state, 'closed');
  });
});

describe('the resilient language model over a real HTTP endpoint', () => {
  let fake: FakeOpenAiServer;
  before(async () => {
    fake = await FakeOpenAiServer.start();
  });
  after(async () => {
    await fake.close();
  });

  function model(options: { budgetMs?: number; fetch?: typeof fetch } = {}) {
    const registry = new Registry();
    const metrics = ProviderMetrics.on(registry);
    const breaker = new CircuitBreaker('test', { failureThreshold: 2, cooldownMs: 60_000 });
    const client = createOpenAiClient({ baseURL: fake.baseUrl, apiKey: 'sk-test', fetch: options.fetch }, logger);
    const resilient = new ResilientLanguageModel(new OpenAiLanguageModel({ client, model: 'm' }), {
      breaker,
      metrics,
      logger,
      retry: FAST,
      budgetMs: options.budgetMs ?? 5_000,
    });
    return { resilient, registry, breaker };
  }

  async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
    const collected: StreamPart[] = [];
    for await (const part of parts) collected.push(part);
    return collected;
  }

  it('streams text deltas, then a finish with usage and timing', async () => {
    fake.queueChat({ kind: 'reply', text: 'One two three.' });
    const { resilient, registry } = model();
    const parts = await collect(resilient.stream({ messages: [{ role: 'user', content: 'Hi' }], telemetry: { operation: 'reply' } }));
    assert.deepEqual(parts.filter((part) => part.type === 'text-delta').map((part) => (part.type === 'text-delta' ? part.delta : '')), ['One ', 'two ', 'three.']);
    const finish = parts.at(-1);
    assert.ok(finish?.type === 'finish');
    assert.equal(finish.finishReason, 'stop');
    assert.equal(finish.usage.outputTokens, 3);
    assert.equal(finish.usage.estimated, false);
    assert.equal(finish.timing.attempts, 1);
    assert.ok(finish.timing.firstTokenMs !== undefined && finish.timing.firstTokenMs <= finish.timing.totalMs);
    assert.match(await registry.metrics(), /viva_provider_tokens_total\{provider="openai",model="m",direction="in"\} \d+/);
  });

  it('sends requests through an injected fetch', async () => {
    const seen: string[] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return fetch(input, init);
    };
    fake.queueChat({ kind: 'reply', text: '{"ok": true}' });
    const { resilient } = model({ fetch: recording });
    const result = await resilient.generate({ messages: [{ role: 'user', content: 'Hi' }], responseFormat: 'json' });
    assert.equal(result.text, '{"ok": true}');
    assert.deepEqual(seen, [`${fake.baseUrl}/chat/completions`]);
    assert.equal(fake.chatRequests.at(-1)?.body.response_format?.type, 'json_object');
  });

  it('drops an optional field a server refuses, and remembers', async () => {
    fake.queueChat({ kind: 'error', status: 400, message: "Unrecognized request argument supplied: stream_options" });
    const { resilient } = model();
    await collect(resilient.stream({ messages: [{ role: 'user', content: 'Hi' }] }));
    await collect(resilient.stream({ messages: [{ role: 'user', content: 'Hi' }] }));
    const [refused, retried, later] = fake.chatRequests.slice(-3);
    assert.ok(refused?.body.stream_options);
    assert.equal(retried?.body.stream_options, undefined);
    assert.equal(later?.body.stream_options, undefined);
  });

  it('fails fast once the circuit is open, without calling the endpoint', async () => {
    const { resilient, breaker } = model();
    for (let call = 0; call < 2; call += 1) {
      fake.queueChat({ kind: 'error', status: 401, message: 'Incorrect API key' });
      await assert.rejects(resilient.generate({ messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => error instanceof ProviderError && error.kind === 'auth');
    }
    assert.equal(breaker.state, 'open');
    const before = fake.chatRequests.length;
    await assert.rejects(resilient.generate({ messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => error instanceof ProviderError && error.kind === 'circuit_open');
    assert.equal(fake.chatRequests.length, before);
  });

  it('turns a spent budget into a timeout and aborts the request; a caller abort keeps its reason', async () => {
    fake.queueChat({ kind: 'hang' });
    const { resilient } = model({ budgetMs: 150 });
    await assert.rejects(resilient.generate({ messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => error instanceof ProviderError && error.kind === 'timeout');
    const hung = fake.chatRequests.at(-1);
    await hung?.closed;
    assert.equal(hung?.abortedByClient, true);

    // a budget far from the abort, so a loaded machine cannot let the budget win the race
    const { resilient: patient } = model({ budgetMs: 30_000 });
    fake.queueChat({ kind: 'reply', text: 'a b c d e f g h', chunkDelayMs: 50 });
    const controller = new AbortController();
    const reason = new Error('the candidate interrupted');
    const parts: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const part of patient.stream({ messages: [{ role: 'user', content: 'Hi' }], abortSignal: controller.signal })) {
          if (part.type === 'text-delta') parts.push(part.delta);
          if (parts.length === 2) controller.abort(reason);
        }
      })(),
      (error: unknown) => error === reason,
    );
    const streamed = fake.chatRequests.at(-1);
    await streamed?.closed;
    assert.equal(streamed?.abortedByClient, true);
  });
});
