import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';

/**
 * Scoring guides (docs/interview-quality.md, "Scoring guides"): the hiring team's report shows one per
 * scored question; the candidate never sees one, neither in the plan nor in any report they may read.
 */

const ANSWERS = [
  'For example, at my last job I led the migration of our billing service to Postgres; I measured p99 latency, cut it from 800 ms to 120 ms, and the result was 30% fewer support tickets.',
  'We put Redis in front of the database with a short TTL and explicit invalidation on writes, because stale prices cost us refunds. First we measured the hit rate, then tuned it; the result was 70% fewer reads.',
  'At my previous company a release broke checkout. An alert fired, I rolled back within ten minutes, and the postmortem added a canary stage so it never happened again.',
  'I would ask about the team, thank you.',
];

async function post(server: RunningViva, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get(server: RunningViva, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface ReportQuestion {
  stage?: string;
  score?: number | null;
  scoring_guide?: { score: number; description: string }[];
}

/** Runs one interview to its end as the candidate; returns the session id and what `/end` answered. */
async function interview(server: RunningViva): Promise<{ sessionId: string; ended: Record<string, unknown>; planViews: Record<string, unknown>[] }> {
  const started = await post(server, '/api/v1/interview/start', {
    candidate: { name: 'Lin' },
    interview: { role: 'Backend Engineer', level: 'senior', language: 'en', question_count: 4, max_minutes: 20 },
  });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const sessionId = String(started.body.session_id);
  const planViews = [(await get(server, `/api/v1/interview/${sessionId}`)).body];
  for (const answer of [...ANSWERS, ...ANSWERS]) {
    const turn = await post(server, `/api/v1/interview/${sessionId}/process-unified`, { text: answer });
    if (turn.status === 409 || (turn.body.interview as { state?: string } | undefined)?.state === 'completed') break;
    planViews.push((await get(server, `/api/v1/interview/${sessionId}`)).body);
  }
  const ended = await post(server, `/api/v1/interview/${sessionId}/end`, {});
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  return { sessionId, ended: ended.body, planViews };
}

for (const mode of ['summary', 'full'] as const) {
  describe(`scoring guides over the API (CANDIDATE_REPORT=${mode})`, () => {
    let server: RunningViva;
    before(async () => {
      server = await startInProcess({ SESSIONS_PER_IP_PER_MINUTE: '1000', CANDIDATE_REPORT: mode });
    });
    after(async () => {
      await server.stop();
    });

    it('the admin report has a 1-3-5 guide on every scored question; no candidate view has any', async () => {
      const { sessionId, ended, planViews } = await interview(server);
      const admin = { authorization: `Bearer ${server.adminToken}` };

      const full = (await get(server, `/api/v1/interview/${sessionId}/report`, admin)).body;
      const questions = full.questions as ReportQuestion[];
      const scored = questions.filter((question) => question.score !== null);
      assert.ok(scored.length >= 3, `${scored.length} scored questions`);
      for (const question of scored) {
        assert.deepEqual(question.scoring_guide?.map((entry) => entry.score), [1, 3, 5], JSON.stringify(question));
        for (const entry of question.scoring_guide ?? []) assert.ok(entry.description.length > 20);
      }
      // the admin's view of the session has the plan's guides, as stored in SQLite
      const adminPlan = (await get(server, `/api/v1/interview/${sessionId}`, admin)).body.plan as { questions: ReportQuestion[] };
      assert.ok(adminPlan.questions.filter((question) => question.stage !== 'candidate_questions').every((question) => question.scoring_guide !== undefined));

      const candidateReport = (await get(server, `/api/v1/interview/${sessionId}/report`)).body;
      for (const view of [...planViews, ended, candidateReport]) assert.doesNotMatch(JSON.stringify(view), /scoring_guide|probe/);
      assert.ok(planViews.every((view) => (view.plan as { questions: unknown[] }).questions.length >= 1));
      if (mode === 'full') assert.equal(typeof candidateReport.overall_score, 'number', 'full mode still shows the scores');
    });
  });
}
