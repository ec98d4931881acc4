import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InterviewSnapshot } from '../../src/interview/interview-types.js';
import { evaluateInterview } from '../../src/providers/builtin/builtin-evaluator.js';
import { pickEvidenceQuotes, splitSentences } from '../../src/providers/builtin/quote-extraction.js';
import { createSnapshot, simulateTurn } from '../helpers/interview-simulation.js';

/**
 * The contradictions issue 12 found in reports, one test each: the greeting's question count against the
 * report's "answered N of the M planned"; quotes cut inside a number or an abbreviation; a baseline quoted
 * as the result; the strongest and the weakest area at the same score; noise words under "relevant points".
 */

const NOW = new Date('2026-03-02T09:00:00.000Z');
const STRONG = {
  en:
    'For example, at my last job I owned the payments service and its API. First I measured where time went, then I added ' +
    'an index and a cache; as a result support tickets fell by 30% and p99 latency dropped from 900 ms to 120 ms. I learned to measure first.',
  zh:
    '比如在上一家公司，我负责支付服务和它的接口。首先我分析了耗时分布，然后加了索引和缓存；结果客服工单减少了 30%，' +
    'p99 延迟从 900 毫秒降到了 120 毫秒。我学到了先测量再优化。',
} as const;

/** Plays a whole interview with the built-in engine, every main question answered strongly. */
function playInterview(language: 'en' | 'zh', questionCount: number): { greeting: string; snapshot: InterviewSnapshot } {
  let snapshot = createSnapshot(`honest-${language}-${questionCount}`, { role: 'Backend Engineer', language, question_count: questionCount });
  const start = simulateTurn(snapshot, { kind: 'start' }, NOW);
  snapshot = start.next;
  for (let turn = 0; turn < questionCount * 4 && snapshot.progress.state !== 'completed'; turn += 1) {
    snapshot = simulateTurn(snapshot, { kind: 'answer', text: STRONG[language] }, NOW).next;
  }
  assert.equal(snapshot.progress.state, 'completed');
  return { greeting: start.result.reply, snapshot };
}

function countSaid(greeting: string, language: 'en' | 'zh'): number {
  if (language === 'en') return /one main question/.test(greeting) ? 1 : Number(/about (\d+) questions/.exec(greeting)?.[1]);
  return /主要聊一个问题/.test(greeting) ? 1 : Number(/大概会聊(\d+)个问题/.exec(greeting)?.[1]);
}

describe('honest reports', () => {
  for (const language of ['en', 'zh'] as const) {
    for (const questionCount of [1, 6, 10]) {
      it(`says as many planned questions as the greeting did (${language}, ${questionCount} questions)`, () => {
        const { greeting, snapshot } = playInterview(language, questionCount);
        const said = countSaid(greeting, language);
        assert.equal(said, questionCount, greeting);
        const summary = evaluateInterview(snapshot).summary;
        const match = language === 'en' ? /answered (\d+) of the (\d+) planned/.exec(summary) : /在计划的(\d+)个问题中回答了(\d+)个/.exec(summary);
        assert.ok(match !== null, summary);
        const [answered, planned] = language === 'en' ? [Number(match[1]), Number(match[2])] : [Number(match[2]), Number(match[1])];
        assert.equal(planned, said, `${summary} after "${greeting}"`);
        // every question was answered (the candidate's own turn included), so none is missing
        assert.equal(answered, planned, summary);
      });
    }
  }

  it('cuts quotes at sentence ends only: never at a decimal point, "e.g." or "i.e."; Chinese 。！？ end sentences', () => {
    assert.deepEqual(splitSentences('Latency fell by 3.5x on v2.1, e.g. on search. It held, i.e. no regressions! Done?'), [
      'Latency fell by 3.5x on v2.1, e.g. on search.',
      'It held, i.e. no regressions!',
      'Done?',
    ]);
    assert.deepEqual(splitSentences('延迟降低了3.5倍。效果很好！还有问题吗？好'), ['延迟降低了3.5倍。', '效果很好！', '还有问题吗？', '好']);
    const answer = 'We cut p99 from 2.5 s to 0.8 s, e.g. for checkout, by caching sessions. That was the result.';
    for (const quote of pickEvidenceQuotes(answer, 2)) {
      assert.ok(answer.includes(quote));
      assert.doesNotMatch(quote, /\d\.$|\d$|e\.g$|\be$/, `cut inside: "${quote}"`);
    }
    assert.ok(pickEvidenceQuotes(answer, 2).some((quote) => quote.includes('2.5 s to 0.8 s')));
  });

  it('quotes the result, never the baseline, as "a measurable result", in notes and summary (en, zh)', () => {
    for (const language of ['en', 'zh'] as const) {
      const report = evaluateInterview(playInterview(language, 3).snapshot);
      const text = [report.summary, ...report.strengths, ...report.questions.map((question) => question.notes)].join('\n');
      assert.doesNotMatch(text, /\(900 ms\)|（900 毫秒）|measurable result \(900|可量化的结果（900/, text);
      assert.match(text, /120 ms|120 毫秒/);
    }
  });

  it('never names the strongest and the weakest area at the same score', () => {
    for (const language of ['en', 'zh'] as const) {
      for (const questionCount of [3, 6, 10]) {
        const summary = evaluateInterview(playInterview(language, questionCount).snapshot).summary;
        const both =
          /strongest area was .+\((\d(?:\.\d)?)\/5\) and the weakest .+\((\d(?:\.\d)?)\/5\)/.exec(summary) ?? /最好的是“.+”（(\d(?:\.\d)?)\/5），相对薄弱的是“.+”（(\d(?:\.\d)?)\/5）/.exec(summary);
        if (both !== null) assert.notEqual(both[1], both[2], summary);
      }
    }
  });

  it('lists only the question\'s own terms under "relevant points", never the question\'s scaffolding words', () => {
    let snapshot = createSnapshot('noise', { role: 'Backend Engineer', question_count: 1 });
    // a question as a model writes it: no bank keywords, so the question's own words decide relevance
    snapshot = { ...snapshot, plan: { ...snapshot.plan, questions: [{ id: 'llm-1', stage: 'technical', competency: 'debugging', text: 'How would you approach a specific bug that only happened in production, and what would you check first?' }] } };
    snapshot = simulateTurn(snapshot, { kind: 'start' }, NOW).next;
    const answer = 'My approach for a specific bug that happened in production: first I check the logs and traces, then I reproduce it locally with the same data.';
    snapshot = simulateTurn(snapshot, { kind: 'answer', text: answer }, NOW).next;
    const notes = evaluateInterview(snapshot).questions[0]?.notes ?? '';
    const listed = /Relevant points covered: ([^.]+)\./.exec(notes)?.[1]?.split(', ') ?? [];
    assert.ok(listed.includes('production'), notes);
    for (const noise of ['approach', 'specific', 'happened', 'check', 'first', 'would']) assert.ok(!listed.includes(noise), `"${noise}" listed: ${notes}`);
  });
});
