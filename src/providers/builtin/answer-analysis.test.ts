import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeAnswer, isThinAnswer, missingAspects } from './answer-analysis.js';

describe('analyzeAnswer', () => {
  it('finds examples, outcomes and figures in English', () => {
    const analysis = analyzeAnswer(
      'At my last job I migrated our search service to Elasticsearch. First we ran both in parallel, then switched over; p95 latency dropped by 40% and we learned to load-test earlier.',
    );
    assert.equal(analysis.hasExample, true);
    assert.equal(analysis.hasOutcome, true);
    assert.equal(analysis.hasStructure, true);
    assert.deepEqual(analysis.metrics, ['40%']);
    assert.equal(analysis.tooShort, false);
  });

  it('counts Chinese by characters, since it has no spaces', () => {
    const short = analyzeAnswer('做过一个接口。');
    assert.ok(short.words < 10 && short.tooShort);
    const rich = analyzeAnswer(
      '之前在上一家公司，我负责订单系统的重构。首先把单体拆成三个服务，然后逐步灰度切流。最终接口延迟从 800 毫秒降到了 200 毫秒，故障率降低了 60%。',
    );
    assert.equal(rich.tooShort, false);
    assert.equal(rich.hasExample, true);
    assert.equal(rich.hasOutcome, true);
    assert.equal(rich.hasStructure, true);
    assert.ok(rich.metrics.includes('60%'));
  });

  it('does not mistake "two years ago" or a bare claim for substance', () => {
    assert.deepEqual(analyzeAnswer('That was 3 months ago at a startup.').metrics, []);
    assert.equal(analyzeAnswer('I built an API.').hasExample, false);
  });
});

describe('missingAspects and isThinAnswer', () => {
  it('asks a story for an example first, then the outcome', () => {
    assert.deepEqual(missingAspects(analyzeAnswer('I usually try to communicate well with my team.'), 'behavioral'), [
      'example',
      'outcome',
    ]);
    const withExample = analyzeAnswer(
      'Last year I disagreed with my manager about rewriting the billing service, so I wrote a short proposal comparing both options.',
    );
    assert.deepEqual(missingAspects(withExample, 'behavioral'), ['outcome']);
  });

  it('lets a long reasoned technical answer stand without an anecdote', () => {
    const reasoning = analyzeAnswer(
      'I would put a token bucket per API key in Redis at the gateway, because that keeps the limit consistent across instances. ' +
        'Each request takes a token; when the bucket is empty the gateway answers 429 with a Retry-After header so well-behaved clients back off. ' +
        'Then I would watch the rate of rejected requests per key, since a spike usually means a misconfigured client rather than abuse, and tune the bucket size from real traffic. ' +
        'The trade-off is an extra network hop to Redis on every request, which a local cache of recent decisions can soften.',
    );
    assert.deepEqual(missingAspects(reasoning, 'technical'), []);
  });

  it('treats the candidate-questions stage as never thin', () => {
    assert.equal(isThinAnswer('No.', 'candidate_questions'), false);
    assert.equal(isThinAnswer('No.', 'experience'), true);
    assert.equal(isThinAnswer('我带过一个新人。', 'behavioral'), true);
  });
});
