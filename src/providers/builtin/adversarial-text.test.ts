import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeAnswer, findFigures } from './answer-analysis.js';
import { BuiltinEvaluator } from './builtin-evaluator.js';
import { detectIntent, hasNoQuestions } from '../../interview/rules/candidate-intent.js';
import { createSnapshot, simulateTurn } from '../../../test/helpers/interview-simulation.js';
import { keywordsMentioned } from './keyword-matching.js';
import { extractShortQuote, pickEvidenceQuotes } from './quote-extraction.js';

/**
 * Issue 10, item 3: text shaped to make a backtracking regex retry from every character (a 10,000-digit
 * answer cost 750 ms; a report over 18 of them 7.4 s). Every analysis of the built-in engine must stay
 * linear. The bounds are some fifty times what linear code needs here, and a tenth of what quadratic code
 * took, so a loaded machine does not make them flaky.
 */
const LENGTH = 20_000;
const ADVERSARIAL: Record<string, string> = {
  'a digit run': '7'.repeat(LENGTH),
  'a digit run before a Chinese unit': `${'1'.repeat(LENGTH - 1)}个`,
  'a digit run before 年': `我有${'1'.repeat(LENGTH - 3)}年`,
  'money with a digit run': `$${'1'.repeat(LENGTH - 1)}`,
  'a run of commas and dots inside a sentence': `we cut it${',.'.repeat(LENGTH / 2)}z`,
  'a run of commas and dots after a number': `1${',.'.repeat(LENGTH / 2)}z`,
  'repeated words': 'machine learning '.repeat(LENGTH / 17),
  'whitespace inside a short request': `sorry${' '.repeat(LENGTH)}x`,
  'whitespace inside a Chinese skip': `过${' '.repeat(LENGTH)}x`,
  'digits separated by dots': '1.'.repeat(LENGTH / 2),
};

function timed(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

describe('built-in text analysis on adversarial text', () => {
  for (const [name, text] of Object.entries(ADVERSARIAL)) {
    it(`stays linear on ${name}`, () => {
      const costs = {
        analyzeAnswer: timed(() => analyzeAnswer(text)),
        quotes: timed(() => {
          pickEvidenceQuotes(text);
          extractShortQuote(text, 'en');
        }),
        intent: timed(() => {
          detectIntent(text);
          hasNoQuestions(text);
        }),
        keywords: timed(() => keywordsMentioned(text, ['machine learning', 'kubernetes', 'ci', 'a/b testing'])),
      };
      for (const [step, ms] of Object.entries(costs)) assert.ok(ms < 150, `${step} took ${Math.round(ms)} ms on ${name}`);
    });
  }

  it('writes a report over 18 answers of 10,000 digits quickly', async () => {
    let snapshot = createSnapshot('adversarial-report', { role: 'Backend Engineer', question_count: 12 });
    const now = new Date('2026-03-02T09:00:00.000Z');
    snapshot = simulateTurn(snapshot, { kind: 'start' }, now).next;
    let turns = 0;
    const turnsStarted = performance.now();
    for (; turns < 18 && snapshot.progress.state !== 'completed'; turns += 1) {
      snapshot = simulateTurn(snapshot, { kind: 'answer', text: '9'.repeat(10_000) }, now).next;
    }
    const turnsMs = performance.now() - turnsStarted;
    const started = performance.now();
    const report = await new BuiltinEvaluator().evaluate({ snapshot });
    const reportMs = performance.now() - started;
    assert.ok(turns >= 12, `only ${turns} answers were taken`);
    assert.ok(report.questions.length > 0);
    assert.ok(turnsMs < 2_000, `${turns} turns took ${Math.round(turnsMs)} ms`);
    assert.ok(reportMs < 1_000, `the report took ${Math.round(reportMs)} ms`);
  });

  it('finds the figures the old single pattern found', () => {
    assert.deepEqual(findFigures('Latency went from 200 ms to 40ms, 35% fewer errors, $40k saved, 3x faster.'), ['200 ms', '40ms', '35%', '$40k', '3x']);
    assert.deepEqual(findFigures('2 months ago, 3个月前 we had 1,000,000 users and 3倍的QPS.'), ['1,000,000 users', '3倍']);
    // the old pattern, quadratic on long digit runs but right on short text, is the oracle
    const OLD_PATTERN =
      /\$\s?\d[\d,.]*\s?(k|m|million|billion)?\b|\d[\d,.]*\s?(%|％|percent\b|x\b|×|times\b|ms\b|milliseconds\b|seconds\b|secs?\b|minutes\b|mins\b|hours\b|hrs?\b|days\b|weeks\b|months\b|k\b|million\b|thousand\b|users\b|customers\b|requests\b|rps\b|qps\b|tps\b|gb\b|mb\b|tb\b|倍|毫秒|秒|分钟|小时|天|周|个月|万|千|亿|个?用户|QPS)(?!\s*(ago|前|以前|之前))/gi;
    const pieces = ['1', '23', ',', '.', '$', ' ', 'k', 'm', 'ms', '%', 'x', 'ago', '前', '倍', 'users', 'a', 'million', '\n'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        assert.deepEqual(findFigures(text), [...text.matchAll(OLD_PATTERN)].map((match) => match[0].trim()), JSON.stringify(text));
      }),
      { numRuns: 3_000 },
    );
  });
});
