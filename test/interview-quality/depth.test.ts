import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';

/**
 * Depth (docs/interview-quality.md), built-in engine over HTTP: a senior's strong answer gets one probe
 * of its trade-offs or verification; "I don't know" to a main question gets one hint or a smaller
 * version of it, and a second "I don't know" moves on. Both are recorded as follow-ups with their kind,
 * and the report weighs the hint once.
 */

interface ReportQuestion {
  question: string;
  answer: string;
  follow_ups: Array<{ question: string; answer: string; kind?: string }>;
  score: number | null;
  basis?: string[];
}

const STRONG = {
  en:
    'For example, at my last job I owned the payments API. I added idempotency keys stored in Postgres with a unique ' +
    'constraint, so a retried request returns the first result instead of charging twice. First we measured duplicate ' +
    'charges, then rolled it out behind a flag; as a result duplicates dropped from 40 a week to zero and p99 latency ' +
    'stayed at 120 ms. I learned to test retries under real network failures.',
  zh:
    '比如在上一家公司，我负责支付接口。我给每个请求加了幂等键，存在 Postgres 里并加了唯一约束，重试的请求会直接返回第一次的结果，' +
    '不会重复扣款。首先我们统计了重复扣款的次数，然后通过开关灰度上线；结果每周的重复扣款从 40 次降到了 0，p99 延迟保持在 120 毫秒。' +
    '我从中学到要在真实的网络故障下测试重试。',
} as const;
const UNKNOWN = { en: "I don't know.", zh: '我不知道。' } as const;
/** Names the payment API's idempotency, so the one technical question is the one the strong answer is about. */
const JOB = 'Payments team: you will own idempotent payment APIs.';
const HINT = { en: /smaller|simplest|does not have to be|any time/i, zh: /缩小|小一点|不一定|哪怕很小/ } as const;

describe('depth: probes and hints', () => {
  let server: RunningViva;
  before(async () => {
    server = await startInProcess({ SESSIONS_PER_IP_PER_MINUTE: '1000' });
  });
  after(async () => {
    await server.stop();
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await response.json()) as Record<string, unknown> & { ai_response?: string; session_id?: string };
  };
  const reportOf = async (sessionId: string) => {
    await post(`/api/v1/interview/${sessionId}/end`, {});
    const response = await fetch(`${server.baseUrl}/api/v1/websocket/sessions/${sessionId}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    return ((await response.json()) as { report: { questions: ReportQuestion[] } }).report;
  };

  for (const language of ['en', 'zh'] as const) {
    it(`probes a senior's strong answer once, never a junior's (${language})`, async () => {
      const asked: Record<string, ReportQuestion[]> = {};
      for (const level of ['senior', 'junior']) {
        const started = await post('/api/v1/interview/start', { interview: { role: 'Backend Engineer', level, language, question_count: 1, job_description: JOB } });
        const sessionId = started.session_id ?? '';
        // a strong answer, then strong again to whatever comes next, until the interview is over
        for (let turn = 0; turn < 4; turn += 1) {
          const reply = await post(`/api/v1/interview/${sessionId}/process-unified`, { text: STRONG[language] });
          if ((reply.interview as { state?: string } | undefined)?.state === 'completed') break;
        }
        asked[level] = (await reportOf(sessionId)).questions;
      }
      const senior = asked.senior?.[0];
      assert.deepEqual(senior?.follow_ups.map((followUp) => followUp.kind), ['probe'], JSON.stringify(senior));
      assert.match(senior?.follow_ups[0]?.question ?? '', language === 'en' ? /trade-off|verify|weakest|evidence|alternative/i : /取舍|验证|薄弱|依据/);
      assert.ok(!asked.junior?.[0]?.follow_ups.some((followUp) => followUp.kind === 'probe'), 'a junior was probed');
    });

    it(`gives one hint after "I don't know" and weighs it once in the report (${language})`, async () => {
      const started = await post('/api/v1/interview/start', { interview: { role: 'Backend Engineer', level: 'mid', language, question_count: 1, job_description: JOB } });
      const sessionId = started.session_id ?? '';
      const hinted = await post(`/api/v1/interview/${sessionId}/process-unified`, { text: UNKNOWN[language] });
      assert.match(hinted.ai_response ?? '', HINT[language]);
      await post(`/api/v1/interview/${sessionId}/process-unified`, { text: STRONG[language] });
      const [question] = (await reportOf(sessionId)).questions;
      assert.deepEqual(question?.follow_ups.map((followUp) => followUp.kind), ['hint']);
      // answered with the hint: scored (the answer alone earns more), capped at 3 once, not also "did not know"
      assert.equal(question?.score, 3, JSON.stringify(question));
      assert.ok(question?.basis?.some((basis) => /after a hint|提示之后/.test(basis)));
      assert.ok(!(question?.basis ?? []).some((basis) => /did not know|不知道/.test(basis)), 'the hinted answer is also marked unknown');
    });

    it(`moves on after a second "I don't know": one hint per question (${language})`, async () => {
      const started = await post('/api/v1/interview/start', { interview: { role: 'Backend Engineer', level: 'mid', language, question_count: 2 } });
      const sessionId = started.session_id ?? '';
      assert.match((await post(`/api/v1/interview/${sessionId}/process-unified`, { text: UNKNOWN[language] })).ai_response ?? '', HINT[language]);
      const movedOn = await post(`/api/v1/interview/${sessionId}/process-unified`, { text: UNKNOWN[language] });
      assert.doesNotMatch(movedOn.ai_response ?? '', HINT[language]);
      const [first, second] = (await reportOf(sessionId)).questions;
      assert.deepEqual(first?.follow_ups.map((followUp) => followUp.kind), ['hint']);
      assert.equal(first?.score, 1);
      assert.ok(second !== undefined, 'the interview moved on to the next question');
    });
  }
});
