import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeInterview } from '../../interview/interview-status.js';
import type { CandidateInput } from '../../interview/interview-ports.js';
import { takeTurn, type TurnResult } from '../../interview/rules/turn-runner.js';
import type { InterviewSettingsInput, InterviewSnapshot, Language } from '../../interview/interview-types.js';
import { interviewReportSchema } from '@viva/protocol/interview-schemas.js';
import { BuiltinEvaluator } from './builtin-evaluator.js';
import { BuiltinInterviewer } from './builtin-interviewer.js';
import { applyTurn, createSnapshot } from '../../../test/helpers/interview-simulation.js';

const interviewer = new BuiltinInterviewer();
const START = new Date('2026-03-02T09:00:00.000Z');

function minutesAfterStart(minutes: number): Date {
  return new Date(START.getTime() + minutes * 60_000);
}

interface Exchange {
  result: TurnResult;
  deltas: string[];
  next: InterviewSnapshot;
}

async function exchange(snapshot: InterviewSnapshot, input: CandidateInput, now = minutesAfterStart(1)): Promise<Exchange> {
  const deltas: string[] = [];
  const result = await takeTurn(interviewer, { snapshot, input, now, onDelta: (delta) => deltas.push(delta) });
  return { result, deltas, next: applyTurn(snapshot, input, result) };
}

const answer = (text: string): CandidateInput => ({ kind: 'answer', text });

/** Every question the interviewer asked so far: main questions and follow-ups. */
function askedQuestions(snapshot: InterviewSnapshot): string[] {
  const progress = snapshot.progress;
  return [
    ...progress.records.flatMap((record) => [record.question, ...record.follow_ups.map((followUp) => followUp.question)]),
    ...(progress.pending_follow_up === null ? [] : [progress.pending_follow_up]),
  ];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const SCRIPTS: Readonly<Record<Language, { rich: string[]; thin: string; exampleOnly: string; outcome: string; question: string }>> = {
  en: {
    rich: [
      'At my last job I led the migration of our billing service to a queue-based design. First we mapped every consumer, then we ran both paths in parallel for two weeks. As a result, failed payments dropped by 35% and on-call pages fell from ten a week to two, and I learned to invest in observability before a cut-over.',
      'In my previous role I owned the checkout API. I started by profiling the slowest endpoints, then added a Redis cache with short TTLs because most reads were repeated. Latency went from 900 ms to 150 ms, and conversion improved by 4% over the next month.',
      'Last year I disagreed with my manager about rewriting the search service. I wrote a one-page comparison of a rewrite against incremental fixes, and we agreed on the incremental path. We shipped on time, incidents dropped by half, and I learned that data settles arguments faster than opinions.',
    ],
    thin: 'I think it is important to communicate well.',
    exampleOnly:
      'For example, at my previous company I rebuilt the onboarding flow with the designer and two backend engineers.',
    outcome: 'In the end sign-ups grew by 20% within a month, and I learned to test with real users much earlier.',
    question: 'What does the on-call rotation look like for this team?',
  },
  zh: {
    rich: [
      '之前在上一家公司，我负责把计费服务迁移到基于消息队列的架构。首先梳理了所有下游依赖，然后新旧两套并行跑了两周。最终支付失败率降低了 35%，值班告警从每周十次降到两次，我也学到了切换前一定要先把监控做好。',
      '我在上一份工作中负责结算接口。我先对最慢的几个接口做了性能分析，因为大部分读请求是重复的，所以加了一层 Redis 缓存。结果延迟从 900 毫秒降到了 150 毫秒，后面一个月转化率提升了 4%。',
      '去年我和上级在是否重写搜索服务上意见不一致。我写了一页对比文档，分析重写和逐步优化各自的成本，最后大家决定逐步优化。项目按时上线，故障数量减少了一半，我也体会到用数据说话比争论更有效。',
    ],
    thin: '我觉得沟通很重要。',
    exampleOnly: '比如之前在上一家公司，我和设计师以及两位后端同事一起重做了新用户注册流程。',
    outcome: '最终一个月内注册量提升了 20%，我也学到了要更早找真实用户来做测试。',
    question: '团队的值班是怎么安排的？',
  },
};

/**
 * Plays a candidate who alternates: a rich answer (no follow-up expected), a thin answer that then
 * gives an example and finally the outcome (two follow-ups), and a thin answer fixed at the first
 * follow-up (one follow-up).
 */
function scriptedReply(snapshot: InterviewSnapshot, language: Language): string {
  const script = SCRIPTS[language];
  const progress = snapshot.progress;
  const record = progress.records.at(-1);
  const index = progress.records.length - 1;
  if (record?.stage === 'candidate_questions') return script.question;
  if (progress.pending_follow_up !== null) {
    if (index % 3 === 1) return record?.follow_ups.length === 0 ? script.exampleOnly : script.outcome;
    return `${script.exampleOnly} ${script.outcome}`;
  }
  return index % 3 === 0 ? (script.rich[index % script.rich.length] ?? '') : script.thin;
}

async function runFullInterview(language: Language, settings: InterviewSettingsInput, name?: string) {
  let snapshot = createSnapshot(`full-${language}-${settings.role ?? 'default'}`, { ...settings, language }, name === undefined ? {} : { name });
  const replies: TurnResult[] = [];
  let first = await exchange(snapshot, { kind: 'start' }, START);
  replies.push(first.result);
  snapshot = first.next;
  for (let turn = 1; turn < 60 && snapshot.progress.state !== 'completed'; turn++) {
    const step = await exchange(snapshot, answer(scriptedReply(snapshot, language)), minutesAfterStart(turn / 2));
    assert.equal(step.deltas.join(''), step.result.reply, 'streamed pieces join to the reply');
    // sentence by sentence: only a lone follow-up question can come in one piece
    assert.ok(step.deltas.length > 1 || step.result.follow_up, 'the reply streams in several pieces');
    if (step.result.follow_up) {
      assert.ok(step.next.progress.pending_follow_up !== null && step.result.reply.endsWith(step.next.progress.pending_follow_up));
    }
    const status = describeInterview(step.next.plan, step.next.progress);
    if (step.next.progress.state !== 'completed') {
      assert.equal(status.question_number, step.next.progress.records.length);
      assert.equal(status.stage, step.next.progress.records.at(-1)?.stage);
    }
    replies.push(step.result);
    snapshot = step.next;
    first = step;
  }
  return { snapshot, replies };
}

function checkInvariants(snapshot: InterviewSnapshot, replies: TurnResult[], questionCount: number): void {
  const asked = askedQuestions(snapshot);
  assert.equal(new Set(asked).size, asked.length, `a question was asked twice: ${asked.join(' | ')}`);
  assert.equal(snapshot.progress.records.length, Math.min(questionCount, snapshot.plan.questions.length));
  for (const record of snapshot.progress.records) assert.ok(record.follow_ups.length <= 2, `${record.question} got ${record.follow_ups.length} follow-ups`);
  assert.equal(snapshot.progress.state, 'completed');
  assert.equal(snapshot.progress.end_reason, 'completed');
  assert.ok(snapshot.progress.ended_at !== null);
  const endedAt = replies.findIndex((reply) => reply.ended);
  assert.equal(endedAt, replies.length - 1, 'only the last reply ends the interview');
  assert.equal(replies.filter((reply) => reply.follow_up).length, snapshot.progress.records.reduce((total, record) => total + record.follow_ups.length, 0));
}

describe('a full interview', () => {
  for (const language of ['en', 'zh'] as const) {
    it(`runs from greeting to closing in ${language}, with follow-ups on thin answers`, async () => {
      const name = language === 'en' ? 'Alex' : '李雷';
      const role = language === 'en' ? 'Backend Engineer' : '后端开发工程师';
      const { snapshot, replies } = await runFullInterview(language, { role }, name);
      checkInvariants(snapshot, replies, 6);

      const greeting = language === 'en' ? /thanks for taking the time/ : /感谢你今天抽时间/;
      assert.match(replies[0]?.reply ?? '', greeting);
      assert.ok((replies[0]?.reply ?? '').includes(name));
      assert.match(replies[0]?.reply ?? '', language === 'en' ? /about 6 questions in roughly 30 minutes/ : /6个问题，时间在30分钟左右/);
      assert.equal(replies.filter((reply) => greeting.test(reply.reply)).length, 1, 'greeted once');

      const followUpCounts = snapshot.progress.records.map((record) => record.follow_ups.length);
      assert.ok(followUpCounts.includes(2), `some question needed two follow-ups: ${followUpCounts.join(',')}`);
      assert.ok(followUpCounts.includes(0), 'rich answers need no follow-up');

      const closing = replies.at(-1)?.reply ?? '';
      assert.match(closing, language === 'en' ? /Thank you, Alex,/ : /李雷，非常感谢你/);
      assert.match(closing, language === 'en' ? /next steps/ : /下一步/);

      if (language === 'zh') {
        for (const reply of replies) {
          assert.doesNotMatch(reply.reply, /[\u4e00-\u9fff][,.?!;:]/, `ASCII punctuation in Chinese: ${reply.reply}`);
        }
      }
      assert.deepEqual(describeInterview(snapshot.plan, snapshot.progress), {
        state: 'completed',
        stage: 'closing',
        question_number: 6,
        total_questions: 6,
      });
      const report = await new BuiltinEvaluator().evaluate({ snapshot });
      interviewReportSchema.parse(report);
      assert.equal(report.interview.language, language);
    });
  }

  it('never repeats a question and never exceeds two follow-ups, for every track and language at 12 questions', async () => {
    const roles = { en: ['Backend Engineer', 'Frontend Engineer', 'Data Scientist', 'Product Manager', 'Office Manager'], zh: ['后端开发', '前端开发', '算法工程师', '产品经理', '行政经理'] };
    for (const language of ['en', 'zh'] as const) {
      for (const role of roles[language]) {
        for (const level of ['junior', 'senior'] as const) {
          // a candidate who always gives the same thin answer: the hardest case for fresh follow-ups
          let snapshot = createSnapshot(`stress-${role}-${level}`, { role, level, language, question_count: 12 });
          const replies: TurnResult[] = [];
          let step = await exchange(snapshot, { kind: 'start' }, START);
          replies.push(step.result);
          snapshot = step.next;
          while (snapshot.progress.state !== 'completed' && replies.length < 100) {
            step = await exchange(snapshot, answer(SCRIPTS[language].thin));
            replies.push(step.result);
            snapshot = step.next;
          }
          checkInvariants(snapshot, replies, 12);
        }
      }
    }
  });

  it('ends at the question budget even when the plan is longer', async () => {
    let snapshot = createSnapshot('budget', { question_count: 8 });
    snapshot = { ...snapshot, settings: { ...snapshot.settings, question_count: 3 } };
    let step = await exchange(snapshot, { kind: 'start' }, START);
    snapshot = step.next;
    const replies = [step.result];
    while (snapshot.progress.state !== 'completed' && replies.length < 30) {
      step = await exchange(snapshot, answer(SCRIPTS.en.rich[0] ?? ''));
      snapshot = step.next;
      replies.push(step.result);
    }
    assert.equal(snapshot.progress.records.length, 3);
    assert.equal(replies.at(-1)?.ended, true);
  });
});

describe("the candidate's own questions", () => {
  async function atCandidateQuestions(language: Language): Promise<InterviewSnapshot> {
    let snapshot = (await exchange(createSnapshot(`cq-${language}`, { language }), { kind: 'start' }, START)).next;
    while (snapshot.progress.records.at(-1)?.stage !== 'candidate_questions') {
      snapshot = (await exchange(snapshot, answer(SCRIPTS[language].rich[0] ?? ''))).next;
    }
    return snapshot;
  }

  it('passes a question on to the hiring team and closes, without probing', async () => {
    const snapshot = await atCandidateQuestions('en');
    const asked = await exchange(snapshot, answer(SCRIPTS.en.question));
    assert.equal(asked.result.follow_up, false);
    assert.equal(asked.result.ended, true);
    assert.match(asked.result.reply, /hiring team/);
    const none = await exchange(snapshot, answer('No, I think you covered everything, thanks.'));
    assert.match(none.result.reply, /^(That's fine\.|Okay, no problem\.)/);
  });

  it('does the same in Chinese', async () => {
    const snapshot = await atCandidateQuestions('zh');
    const asked = await exchange(snapshot, answer(SCRIPTS.zh.question));
    assert.equal(asked.result.ended, true);
    assert.match(asked.result.reply, /招聘团队/);
    const none = await exchange(snapshot, answer('暂时没有了，谢谢。'));
    assert.match(none.result.reply, /^好的/);
  });
});

describe('greeting', () => {
  it('greets once; a later start continues with the current question', async () => {
    const greeted = await exchange(createSnapshot('greet', {}, { name: 'Sam' }), { kind: 'start' }, START);
    assert.match(greeted.result.reply, /^Hi Sam, thanks for taking the time/);
    assert.equal(greeted.next.progress.greeted, true);
    assert.equal(greeted.next.progress.state, 'in_progress');
    assert.equal(greeted.next.progress.started_at, START.toISOString());
    assert.equal(greeted.next.progress.records.length, 1);

    const again = await exchange(greeted.next, { kind: 'start' }, minutesAfterStart(3));
    assert.doesNotMatch(again.result.reply, /Hi|thanks for taking the time/);
    assert.ok(again.result.reply.endsWith(greeted.next.progress.last_question ?? '?'));
    assert.deepEqual(again.result.progress, greeted.next.progress);
  });

  it('greets on a first answer, without a name when none is known, and does not record it', async () => {
    const first = await exchange(createSnapshot('greet-answer', { language: 'zh' }), answer('你好'), START);
    assert.match(first.result.reply, /^你好！感谢你今天抽时间参加面试/);
    assert.doesNotMatch(first.result.reply, /undefined/);
    assert.equal(first.next.progress.records[0]?.answer, '');
    const second = await exchange(first.next, answer('你好'));
    assert.doesNotMatch(second.result.reply, /感谢你今天抽时间/);
  });
});

describe('candidate intents', () => {
  const phrases = {
    en: { repeat: 'Sorry, could you repeat that?', skip: "Can we skip this one? I'd rather not answer.", unknown: "I don't know." },
    zh: { repeat: '能再说一遍吗？', skip: '这题跳过吧', unknown: '这个我不清楚' },
  } as const;

  for (const language of ['en', 'zh'] as const) {
    const started = async () => (await exchange(createSnapshot(`intent-${language}`, { language, role: language === 'en' ? 'Data Scientist' : '数据分析师' }), { kind: 'start' }, START)).next;

    it(`repeat re-asks the same question and changes nothing (${language})`, async () => {
      const snapshot = await started();
      const repeated = await exchange(snapshot, answer(phrases[language].repeat));
      const lastQuestion = snapshot.progress.last_question ?? '';
      assert.ok(repeated.result.reply.endsWith(lastQuestion));
      assert.notEqual(repeated.result.reply, lastQuestion, 'a short lead comes first');
      assert.deepEqual(repeated.result.progress, snapshot.progress);
      assert.equal(repeated.result.follow_up, false);

      // during a follow-up, the follow-up is what gets repeated
      const thin = await exchange(snapshot, answer(SCRIPTS[language].thin));
      const followUp = thin.next.progress.pending_follow_up;
      if (followUp !== null) {
        const again = await exchange(thin.next, answer(phrases[language].repeat));
        assert.ok(again.result.reply.endsWith(followUp));
        assert.equal(again.result.follow_up, true);
        assert.deepEqual(again.result.progress, thin.next.progress);
      }
    });

    it(`skip marks the question skipped and moves on (${language})`, async () => {
      const snapshot = await started();
      const skipped = await exchange(snapshot, answer(phrases[language].skip));
      assert.equal(skipped.next.progress.records[0]?.skipped, true);
      assert.equal(skipped.next.progress.records.length, 2);
      assert.ok(skipped.result.reply.endsWith(skipped.next.progress.records[1]?.question ?? '?'));
      assert.equal(skipped.result.follow_up, false);
    });

    it(`"I don't know" reassures, marks it unknown and moves on without a follow-up (${language})`, async () => {
      const snapshot = await started();
      const unknown = await exchange(snapshot, answer(phrases[language].unknown));
      assert.equal(unknown.next.progress.records[0]?.unknown, true);
      assert.equal(unknown.result.follow_up, false);
      assert.equal(unknown.next.progress.records.length, 2);
      assert.match(unknown.result.reply, language === 'en' ? /fine|No problem|upfront/ : /没关系|没事|没问题/);
    });
  }
});

describe('time budget', () => {
  it('closes warmly once max_minutes have passed since the start, recording the last answer', async () => {
    const greeted = await exchange(createSnapshot('time', { max_minutes: 20 }), { kind: 'start' }, START);
    const early = await exchange(greeted.next, answer(SCRIPTS.en.rich[0] ?? ''), minutesAfterStart(19));
    assert.equal(early.result.ended, false);

    const late = await exchange(early.next, answer(SCRIPTS.en.thin), minutesAfterStart(21));
    assert.equal(late.result.ended, true);
    assert.equal(late.result.follow_up, false, 'no follow-up once time is up');
    assert.match(late.result.reply, /time/);
    assert.match(late.result.reply, /Thank you/);
    assert.equal(late.next.progress.state, 'completed');
    assert.equal(late.next.progress.end_reason, 'completed');
    assert.equal(late.next.progress.ended_at, minutesAfterStart(21).toISOString());
    assert.equal(late.next.progress.records.at(-1)?.answer, SCRIPTS.en.thin);
  });

  it('closes in Chinese too', async () => {
    const greeted = await exchange(createSnapshot('time-zh', { language: 'zh', max_minutes: 5 }), { kind: 'start' }, START);
    const late = await exchange(greeted.next, answer('能再说一遍吗？'), minutesAfterStart(6));
    assert.equal(late.result.ended, true);
    assert.match(late.result.reply, /时间/);
  });
});

describe('the respond contract', () => {
  it('never mutates the snapshot', async () => {
    let snapshot = createSnapshot('frozen', { question_count: 4 });
    for (const input of [{ kind: 'start' } as const, answer(SCRIPTS.en.thin), answer('Could you repeat that?'), answer('skip'), answer(SCRIPTS.en.rich[1] ?? '')]) {
      const frozen = deepFreeze(structuredClone(snapshot));
      const step = await exchange(frozen, input);
      snapshot = step.next;
    }
    assert.ok(snapshot.progress.records.length >= 2);
  });

  it('is deterministic for the same snapshot and input', async () => {
    const snapshot = (await exchange(createSnapshot('same'), { kind: 'start' }, START)).next;
    const first = await exchange(snapshot, answer(SCRIPTS.en.rich[2] ?? ''));
    const second = await exchange(snapshot, answer(SCRIPTS.en.rich[2] ?? ''));
    assert.deepEqual(first.result, second.result);
  });

  it('stops at the abort signal and returns the text so far with the progress unchanged', async () => {
    const snapshot = createSnapshot('cancel');
    const controller = new AbortController();
    const deltas: string[] = [];
    const result = await takeTurn(interviewer, {
      snapshot,
      input: { kind: 'start' },
      now: START,
      abortSignal: controller.signal,
      onDelta: (delta) => {
        deltas.push(delta);
        controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.equal(deltas.length, 1);
    assert.equal(result.reply, deltas[0]);
    assert.equal(result.ended, false);
    assert.deepEqual(result.progress, snapshot.progress);
  });

  it('answers politely after the interview is over, changing nothing', async () => {
    let snapshot = createSnapshot('over', { question_count: 1 });
    snapshot = (await exchange(snapshot, { kind: 'start' }, START)).next;
    const last = await exchange(snapshot, answer(SCRIPTS.en.rich[0] ?? ''));
    assert.equal(last.result.ended, true);
    const after = await exchange(last.next, answer('Hello?'));
    assert.equal(after.result.ended, false);
    assert.match(after.result.reply, /already finished/);
    assert.deepEqual(after.result.progress, last.next.progress);
  });

  it('varies acknowledgements: never the same one twice in a row', async () => {
    let snapshot = (await exchange(createSnapshot('acks', { question_count: 12 }), { kind: 'start' }, START)).next;
    const replies: string[] = [];
    for (let index = 0; index < 11; index++) {
      const step = await exchange(snapshot, answer(SCRIPTS.en.rich[index % 3] ?? ''));
      replies.push(step.result.reply);
      snapshot = step.next;
    }
    const firstSentences = replies.map((reply) => reply.split(/(?<=[.!?])\s/)[0]);
    for (let index = 1; index < firstSentences.length; index++) {
      assert.notEqual(firstSentences[index], firstSentences[index - 1]);
    }
  });
});
