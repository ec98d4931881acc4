import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EvaluateRequest, InterviewEvaluator } from '../../src/interview/interview-ports.js';
import type { InterviewReport } from '../../src/interview/interview-types.js';
import { BuiltinEvaluator } from '../../src/providers/builtin/builtin-evaluator.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';

/** The built-in evaluator, counting its evaluations. */
class CountingEvaluator implements InterviewEvaluator {
  readonly provider = 'builtin';
  evaluations = 0;
  private readonly inner = new BuiltinEvaluator();
  evaluate(request: EvaluateRequest): Promise<InterviewReport> {
    this.evaluations += 1;
    return this.inner.evaluate(request);
  }
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * Issue 10, item 3: GET /report of a running interview evaluates every answer; it is polled, so the
 * provisional report is computed once per turn and served from memory until the next one.
 */
describe('provisional report', () => {
  let server: RunningViva;
  const evaluator = new CountingEvaluator();
  before(async () => {
    server = await startInProcess({}, { evaluator });
  });
  after(async () => {
    await server.stop();
  });

  it('is evaluated once per turn, however often it is fetched', async () => {
    const start = await (await fetch(`${server.baseUrl}/api/v1/interview/start`, json({ interview: { question_count: 4 } }))).json();
    const reportUrl = `${server.baseUrl}/api/v1/interview/${start.session_id}/report`;
    const answer = (text: string) => fetch(`${server.baseUrl}/api/v1/interview/${start.session_id}/process-unified`, json({ text }));
    assert.equal((await answer(`At my last job I cut latency by 40%. ${'9'.repeat(9_000)}`)).status, 200);

    const before = evaluator.evaluations;
    const first = await (await fetch(reportUrl)).json();
    const again = await Promise.all([fetch(reportUrl), fetch(reportUrl), fetch(reportUrl)].map(async (response) => (await response).json()));
    assert.equal(evaluator.evaluations - before, 1, 'four fetches of one turn, one evaluation');
    for (const report of again) assert.deepEqual(report, first);
    assert.equal(first.ended_at, null);

    assert.equal((await answer('We then moved the queue to Kafka and paged half as often.')).status, 200);
    const next = await (await fetch(reportUrl)).json();
    assert.equal(evaluator.evaluations - before, 2, 'a new turn, a new evaluation');
    assert.notDeepEqual(next, first);
  });
});
