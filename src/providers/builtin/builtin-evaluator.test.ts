import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endProgress } from '../../interview/interview-status.js';
import type { AnswerRecord, InterviewReport, InterviewSnapshot, Language } from '../../interview/interview-types.js';
import { interviewReportSchema } from '@viva/protocol/interview-schemas.js';
import { BuiltinEvaluator, RECOMMENDATION_THRESHOLDS } from './builtin-evaluator.js';
import { createSnapshot, simulateTurn } from '../../../test/helpers/interview-simulation.js';
import { findBankQuestion } from './question-bank-registry.js';

const evaluator = new BuiltinEvaluator();
const STARTED = '2026-03-02T09:00:00.000Z';
const ENDED = '2026-03-02T09:25:00.000Z';

const RICH = {
  en: 'At my last job I led the migration of our billing service to a queue-based design. First we mapped every consumer, then we ran both paths in parallel for two weeks. As a result, failed payments dropped by 35% and on-call pages fell from ten a week to two, and I learned to invest in observability before a cut-over.',
  zh: '之前在上一家公司，我负责把计费服务迁移到基于消息队列的架构。首先梳理了所有下游依赖，然后新旧两套并行跑了两周。最终支付失败率降低了 35%，值班告警从每周十次降到两次，我也学到了切换前一定要先把监控做好。',
} as const;
const THIN = { en: 'I try to communicate.', zh: '我觉得沟通很重要。' } as const;

/** Different rich stories, so no answer is recycled from another question. */
const STORIES = {
  en: [
    RICH.en,
    'Last year I owned the search service when latency doubled after a release. I profiled it, found an N+1 query, batched the lookups and added a cache with a short TTL. As a result p95 latency went from 900 ms to 120 ms, and I added a performance test to CI so it would not regress.',
    'When two teams disagreed about an API contract, I wrote a short proposal comparing both options with their failure modes, then ran a review where each side tested the other design. We agreed within a week, shipped on time, and the number of integration bugs in the next quarter fell by half.',
    'At my previous company I mentored a junior engineer through their first on-call rotation. We paired on two incidents, then I reviewed their postmortems. After three months they led an incident on their own, and our mean time to recovery dropped from 50 to 20 minutes.',
    'I designed the rollout of a new payments provider behind a feature flag. First we sent one percent of traffic, compared success rates daily, then ramped up over three weeks. The result was zero failed charges during the switch and a 15% lower processing fee.',
    'For our reporting pipeline I replaced nightly batch jobs with a streaming consumer. I split the work into small idempotent steps, tested recovery by killing workers, and reports went from twelve hours stale to under five minutes, which sales used every day.',
  ],
  zh: [
    RICH.zh,
    '去年我负责搜索服务，一次发布后延迟翻倍。我做了性能分析，发现是循环里的逐条查询，于是改成批量查询并加了短过期时间的缓存。结果 P95 延迟从九百毫秒降到一百二十毫秒，我还在持续集成里加了性能测试防止回退。',
    '两个团队对接口约定有分歧，我写了一份简短的方案，对比两种做法各自的故障场景，然后组织评审让双方互相验证对方的设计。一周内达成一致，按时上线，下个季度的联调问题减少了一半。',
    '在上一家公司我带一位新同事完成第一次值班。我们一起处理了两次故障，之后我帮他审阅复盘报告。三个月后他能独立主导故障处理，团队的平均恢复时间从五十分钟降到二十分钟。',
    '我设计了新支付渠道的灰度方案：先切百分之一的流量，每天对比成功率，三周内逐步放量。最终切换期间没有一笔失败扣款，手续费还降低了百分之十五。',
    '我把报表链路从每晚批处理改成了流式消费。我把处理拆成幂等的小步骤，通过杀掉进程验证恢复能力，报表的延迟从十二小时降到五分钟以内，销售团队每天都在用。',
  ],
} as const;

/** A rich answer of its own for question `index`, naming what its question is about. */
function richAnswer(language: Language, index: number, record: AnswerRecord): string {
  const keywords = findBankQuestion(record.question_id)?.keywords?.slice(0, 2) ?? [];
  const story = STORIES[language][index % STORIES[language].length] ?? RICH[language];
  if (keywords.length === 0) return story;
  return language === 'en' ? `${story} The parts that mattered most were ${keywords.join(' and ')}.` : `${story}其中最关键的是${keywords.join('和')}。`;
}

/** A completed interview in which every planned question got `answerFor(index)`. */
function interviewWith(language: Language, answerFor: (index: number, record: AnswerRecord) => Partial<AnswerRecord>): InterviewSnapshot {
  const snapshot = createSnapshot(`eval-${language}`, { language, role: language === 'en' ? 'Backend Engineer' : '后端开发' }, { name: 'Kim' });
  const records = snapshot.plan.questions.map((question, index) => {
    const record: AnswerRecord = {
      question_id: question.id,
      question: question.text,
      stage: question.stage,
      competency: question.competency,
      answer: '',
      follow_ups: [],
      skipped: false,
      unknown: false,
    };
    return { ...record, ...answerFor(index, record) };
  });
  return {
    ...snapshot,
    progress: {
      ...snapshot.progress,
      state: 'completed',
      greeted: true,
      started_at: STARTED,
      ended_at: ENDED,
      end_reason: 'completed',
      current_index: records.length - 1,
      records,
    },
  };
}

function allAnswers(report: InterviewReport): string[] {
  return report.questions.flatMap((question) => [question.answer, ...question.follow_ups.map((followUp) => followUp.answer)]);
}

function checkShape(report: InterviewReport): void {
  interviewReportSchema.parse(report);
  assert.equal(report.method, 'heuristic');
  assert.ok(report.overall_score >= 1 && report.overall_score <= 5);
  assert.equal(Math.round(report.overall_score * 10) / 10, report.overall_score, 'one decimal');
  for (const question of report.questions) {
    assert.ok(question.score === null || (Number.isInteger(question.score) && question.score >= 1 && question.score <= 5));
    assert.ok(question.notes.length > 0);
  }
  const answers = allAnswers(report);
  for (const competency of report.competencies) {
    for (const quote of competency.evidence) {
      assert.ok(quote.length > 0 && answers.some((text) => text.includes(quote)), `"${quote}" is not the candidate's own words`);
    }
  }
  const expected =
    report.overall_score >= RECOMMENDATION_THRESHOLDS.strong_yes
      ? 'strong_yes'
      : report.overall_score >= RECOMMENDATION_THRESHOLDS.yes
        ? 'yes'
        : report.overall_score >= RECOMMENDATION_THRESHOLDS.lean_no
          ? 'lean_no'
          : 'no';
  const answered = report.questions.filter((question) => question.score !== null).length;
  // text heuristics never recommend above "yes": a person reviews
  if (answered >= 2) assert.equal(report.recommendation, expected === 'strong_yes' ? 'yes' : expected);
}

describe('BuiltinEvaluator', () => {
  for (const language of ['en', 'zh'] as const) {
    it(`scores rich answers high and explains itself (${language})`, async () => {
      const report = await evaluator.evaluate({
        snapshot: interviewWith(language, (index, record) =>
          record.stage === 'candidate_questions' ? { answer: language === 'en' ? 'How big is the team?' : '团队有多大？' } : { answer: richAnswer(language, index, record) },
        ),
      });
      checkShape(report);
      assert.ok(report.overall_score >= 4, `overall ${report.overall_score}`);
      assert.equal(report.recommendation, 'yes', 'the built-in engine caps its recommendation for a human review');
      assert.ok(report.competencies.length > 0 && report.competencies.every((competency) => competency.evidence.length > 0));
      assert.ok(report.strengths.length > 0);
      assert.equal(report.questions.at(-1)?.score, null, "the candidate's own questions are not scored");
      assert.equal(report.started_at, STARTED);
      assert.equal(report.ended_at, ENDED);
      assert.equal(report.end_reason, 'completed');
      assert.deepEqual(report.candidate, { name: 'Kim' });
      if (language === 'zh') {
        for (const text of [report.summary, report.method_note ?? '', ...report.strengths, ...report.questions.map((question) => question.notes)]) {
          assert.match(text, /[\u4e00-\u9fff]/, `not Chinese: ${text}`);
        }
        assert.match(report.method_note ?? '', /启发式/);
      } else {
        assert.match(report.method_note ?? '', /heuristic/);
        assert.match(report.method_note ?? '', /not the person/);
      }
    });

    it(`scores thin answers low and names the concerns (${language})`, async () => {
      const report = await evaluator.evaluate({ snapshot: interviewWith(language, () => ({ answer: THIN[language] })) });
      checkShape(report);
      assert.ok(report.overall_score < 2.5, `overall ${report.overall_score}`);
      assert.equal(report.recommendation, 'no');
      assert.ok(report.concerns.length > 0);
    });
  }

  it('leaves skipped questions unscored, scores "I don\'t know" as 1, and counts follow-up answers', async () => {
    const report = await evaluator.evaluate({
      snapshot: interviewWith('en', (index, record) => {
        if (index === 1) return { skipped: true };
        if (index === 2) return { unknown: true, answer: "I don't know." };
        if (index === 3) {
          return {
            answer: THIN.en,
            follow_ups: [
              {
                question: 'Could you give a concrete example?',
                // on topic: the follow-up answer names what the question is about
                answer: `For example, at my last company I rebuilt the deploy pipeline with two teammates, around ${findBankQuestion(record.question_id)?.keywords?.[0] ?? 'it'}.`,
              },
              { question: 'How did it turn out?', answer: 'Deploys went from 40 minutes to 8 minutes, and I learned to automate early.' },
            ],
          };
        }
        return { answer: richAnswer('en', index, record) };
      }),
    });
    checkShape(report);
    assert.equal(report.questions[1]?.score, null);
    assert.match(report.questions[1]?.notes ?? '', /skip/);
    assert.equal(report.questions[2]?.score, 1);
    assert.ok((report.questions[3]?.score ?? 0) >= 3, 'follow-up answers count');
    assert.equal(report.questions[3]?.follow_ups.length, 2);
    assert.ok(report.concerns.some((concern) => /Skipped one question/.test(concern)));
    assert.ok(report.concerns.some((concern) => /did not know/.test(concern)));
  });

  it('reports an interview ended before any answer without crashing', async () => {
    const fresh = createSnapshot('empty', {});
    const never = await evaluator.evaluate({ snapshot: { ...fresh, progress: endProgress(fresh.progress, 'ended_by_admin', new Date(ENDED)) } });
    checkShape(never);
    assert.equal(never.questions.length, 0);
    assert.equal(never.overall_score, 1);
    assert.equal(never.end_reason, 'ended_by_admin');

    const greeted = simulateTurn(fresh, { kind: 'start' }, new Date(STARTED)).next;
    const ended = { ...greeted, progress: endProgress(greeted.progress, 'ended_by_candidate', new Date(ENDED)) };
    const report = await evaluator.evaluate({ snapshot: ended });
    checkShape(report);
    assert.equal(report.questions.length, 1);
    assert.equal(report.questions[0]?.score, null);
    assert.match(report.summary, /before any question was answered/);
    assert.ok(report.concerns.some((concern) => /ended early/.test(concern)));
  });

  it('does not recommend on a single answer, however good', async () => {
    let snapshot = createSnapshot('single', { language: 'zh' });
    snapshot = simulateTurn(snapshot, { kind: 'start' }, new Date(STARTED)).next;
    snapshot = simulateTurn(snapshot, { kind: 'answer', text: RICH.zh }, new Date(STARTED)).next;
    const report = await evaluator.evaluate({ snapshot: { ...snapshot, progress: endProgress(snapshot.progress, 'ended_by_candidate', new Date(ENDED)) } });
    checkShape(report);
    assert.ok(['lean_no', 'no'].includes(report.recommendation));
    assert.ok(report.concerns.some((concern) => /提前结束/.test(concern)));
  });
});
