import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAiServer, type ChatRequest } from '../helpers/fake-openai-server.js';
import { interviewModel, planFor, roleOf } from '../helpers/fake-interview-model.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';

/**
 * Model mode and scoring guides: the planner writes a guide and a probe per question once per job; every
 * candidate's evaluation is scored against those guides and the hiring team's report shows them; a
 * missing or botched guide falls back to the built-in one; the candidate never sees either.
 */

interface GuideEntry {
  score: number;
  description: string;
}
interface ReportQuestion {
  question: string;
  stage?: string;
  score: number | null;
  scoring_guide?: GuideEntry[];
}

const ANSWERS = [
  'I have been a backend engineer for eight years, most recently leading a payments team of five people.',
  'At my last company I designed the billing pipeline on Postgres and a queue; the result was 40% fewer failed charges, at the cost of more moving parts.',
  'One night the checkout broke after a release. An alert fired, I rolled back within ten minutes, and the postmortem added a canary stage.',
  'Is the team remote, and how do you run on-call?',
  'Thank you, that is all from me.',
];

function requestText(request: ChatRequest): string {
  return request.body.messages.map((message) => message.content).join('\n');
}

describe('scoring guides in model mode', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let planGuides: 'written' | 'omitted' | 'botched' = 'written';
  const admin = () => ({ authorization: `Bearer ${viva.adminToken}` });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${viva.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** One candidate's interview for `role`, answered to the end; the session id. */
  async function interview(role: string): Promise<{ sessionId: string; candidateViews: unknown[] }> {
    const started = await call('POST', '/api/v1/interview/start', { candidate: { name: 'Mei' }, interview: { role, level: 'senior', language: 'en', question_count: 4 } });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const sessionId = String(started.body.session_id);
    const candidateViews: unknown[] = [started.body, (await call('GET', `/api/v1/interview/${sessionId}`)).body];
    for (const text of ANSWERS) {
      const turn = await call('POST', `/api/v1/interview/${sessionId}/process-unified`, { text });
      candidateViews.push(turn.body, (await call('GET', `/api/v1/interview/${sessionId}`)).body);
      if ((turn.body.interview as { state?: string } | undefined)?.state === 'completed') break;
    }
    const ended = await call('POST', `/api/v1/interview/${sessionId}/end`, {});
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    candidateViews.push(ended.body, (await call('GET', `/api/v1/interview/${sessionId}/report`)).body);
    return { sessionId, candidateViews };
  }

  before(async () => {
    fake = await FakeOpenAiServer.start();
    const model = interviewModel();
    fake.chatHandler = (request) => (roleOf(request) === 'planner' ? { kind: 'reply', text: planFor(request, planGuides) } : model(request));
    viva = await startInProcess({ SESSIONS_PER_IP_PER_MINUTE: '1000', LLM_PROVIDER: 'openai', LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fake-chat-model' });
  });
  after(async () => {
    await viva?.stop();
    await fake?.close();
  });

  it("the planner's guides, written once for the job, reach every candidate's evaluator prompt and report; candidates never see them", async () => {
    planGuides = 'written';
    const first = await interview('Platform Engineer');
    const second = await interview('Platform Engineer');
    const planners = fake.chatRequests.filter((request) => roleOf(request) === 'planner' && requestText(request).includes('Platform Engineer'));
    assert.equal(planners.length, 1, 'one plan for the job');

    for (const { sessionId, candidateViews } of [first, second]) {
      const report = (await call('GET', `/api/v1/interview/${sessionId}/report`, undefined, admin())).body;
      assert.equal(report.method, 'llm');
      const scored = (report.questions as ReportQuestion[]).filter((question) => question.score !== null);
      assert.ok(scored.length >= 3, `${scored.length} scored`);
      for (const question of scored) {
        const number = /^Model question (\d+):/.exec(question.question)?.[1];
        assert.ok(number !== undefined, question.question);
        assert.deepEqual(question.scoring_guide?.map((entry) => entry.score), [1, 3, 5]);
        assert.match(question.scoring_guide?.[2]?.description ?? '', new RegExp(`^Model guide ${number}: an own example`));
      }
      for (const view of candidateViews) assert.doesNotMatch(JSON.stringify(view), /scoring_guide|Model guide|Model probe|"probe"/);
    }

    const evaluators = fake.chatRequests.filter((request) => roleOf(request) === 'evaluator' && requestText(request).includes('Platform Engineer'));
    assert.equal(evaluators.length, 2);
    for (const request of evaluators) {
      const prompt = requestText(request);
      assert.match(prompt, /Score each question against its own guide/);
      assert.match(prompt, /^Q2 \(.*\n\s*Guide: 1 = Model guide 2: says nothing about a system you designed\. \| 3 = Model guide 2: talks about a system you designed in general terms\. \| 5 = Model guide 2: an own example/m);
    }
    // the interviewer has the probe of the question being answered, and never any guide
    const interviewers = fake.chatRequests.filter((request) => roleOf(request) === 'interviewer' && requestText(request).includes('Platform Engineer'));
    assert.ok(interviewers.some((request) => requestText(request).includes('Model probe 2:')));
    assert.ok(interviewers.every((request) => !requestText(request).includes('Model guide')));
  });

  for (const broken of ['omitted', 'botched'] as const) {
    it(`a guide the planner ${broken} falls back to the built-in guide for the question's stage`, async () => {
      planGuides = broken;
      const role = `Site Reliability Engineer (${broken})`;
      const { sessionId } = await interview(role);
      const report = (await call('GET', `/api/v1/interview/${sessionId}/report`, undefined, admin())).body;
      const scored = (report.questions as ReportQuestion[]).filter((question) => question.score !== null);
      assert.ok(scored.length >= 3);
      for (const question of scored) {
        assert.deepEqual(question.scoring_guide?.map((entry) => entry.score), [1, 3, 5]);
        assert.doesNotMatch(JSON.stringify(question.scoring_guide), /Model guide/);
      }
      const evaluator = fake.chatRequests.find((request) => roleOf(request) === 'evaluator' && requestText(request).includes(role));
      assert.ok(evaluator !== undefined);
      assert.match(requestText(evaluator), /^Guide: 1 = Does not address the question/m);
    });
  }
});
