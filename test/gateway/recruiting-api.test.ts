import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';

/** docs/protocol.md §10: templates, the interview listing, and what candidates see of their report. */

function requester(server: RunningViva) {
  const admin = { authorization: `Bearer ${server.adminToken}` };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, body: type.includes('json') && text !== '' ? JSON.parse(text) : text, type };
  };
  return {
    admin,
    call,
    asAdmin: (method: string, path: string, body?: unknown) => call(method, path, body, admin),
  };
}

const settings = { role: 'Backend engineer', level: 'senior', language: 'en', question_count: 2, max_minutes: 20 } as const;

const goodAnswer =
  'For example, at my last job I led the migration of our billing service to Postgres; I measured p99 latency, ' +
  'cut it from 800 ms to 120 ms, and the result was 30% fewer support tickets. I learned to roll out in stages.';

async function completeInterview(
  call: ReturnType<typeof requester>['call'],
  sessionId: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  for (let turn = 0; turn < 8; turn += 1) {
    const answered = await call('POST', `/api/v1/interview/${sessionId}/process-unified`, { text: goodAnswer }, headers);
    if (answered.status === 409 || answered.body.interview?.state === 'completed') break;
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
  }
  return call('POST', `/api/v1/interview/${sessionId}/end`, {}, headers);
}

describe('recruiting API, open auth mode', () => {
  let server: RunningViva;
  let api: ReturnType<typeof requester>;
  before(async () => {
    server = await startInProcess({ SESSIONS_PER_IP_PER_MINUTE: '1000' });
    api = requester(server);
  });
  after(async () => {
    await server.stop();
  });

  it('creates, reads, edits, lists and deletes templates; only with the admin token', async () => {
    assert.equal((await api.call('POST', '/api/v1/templates', { name: 'x', interview: settings })).status, 401);
    assert.equal((await api.call('GET', '/api/v1/templates')).status, 401);

    const created = await api.asAdmin('POST', '/api/v1/templates', { name: 'Backend, senior', interview: settings, focus: ['system design'] });
    assert.equal(created.status, 201);
    const template = created.body;
    assert.match(template.template_id, /^tpl_/);
    assert.equal(template.name, 'Backend, senior');
    assert.deepEqual(template.interview, settings);
    assert.deepEqual(template.focus, ['system design']);
    assert.equal(template.invite_url, `${server.baseUrl}/?invite=${template.invite}`);
    assert.match(template.created_at, /^\d{4}-\d{2}-\d{2}T/);

    assert.deepEqual((await api.asAdmin('GET', `/api/v1/templates/${template.template_id}`)).body, template);
    const patched = await api.asAdmin('PATCH', `/api/v1/templates/${template.template_id}`, { name: 'Backend, lead' });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'Backend, lead');
    assert.deepEqual(patched.body.interview, settings);
    assert.equal((await api.asAdmin('PATCH', `/api/v1/templates/${template.template_id}`, {})).status, 400);
    assert.equal((await api.asAdmin('POST', '/api/v1/templates', { name: '', interview: settings })).status, 400);

    const listed = await api.asAdmin('GET', '/api/v1/templates');
    const entry = listed.body.items.find((item: { template_id: string }) => item.template_id === template.template_id);
    assert.equal(entry.candidates, 0);
    assert.equal(entry.completed, 0);
    assert.equal(entry.invite_url, template.invite_url);

    const doomed = (await api.asAdmin('POST', '/api/v1/templates', { name: 'Doomed', interview: settings })).body;
    assert.equal((await api.asAdmin('DELETE', `/api/v1/templates/${doomed.template_id}`)).status, 204);
    const gone = await api.asAdmin('GET', `/api/v1/templates/${doomed.template_id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.details.template_id, doomed.template_id);
    assert.equal((await api.asAdmin('DELETE', `/api/v1/templates/${doomed.template_id}`)).status, 404);
  });

  it("starts sessions from a template's invite with the template's settings; the candidate adds only their name", async () => {
    const template = (await api.asAdmin('POST', '/api/v1/templates', { name: 'Data, mid', interview: { ...settings, role: 'Data scientist', level: 'mid' } })).body;
    const invite = await api.call('GET', `/api/v1/invites/${template.invite}`);
    assert.equal(invite.status, 200);
    assert.deepEqual(invite.body, {
      name: 'Data, mid',
      interview: { role: 'Data scientist', level: 'mid', language: 'en', question_count: 2, max_minutes: 20 },
    });
    assert.equal((await api.call('GET', '/api/v1/invites/not-a-real-invite-key-at-all')).status, 401);

    const refused = await api.call('POST', '/api/v1/interview/start', { invite: template.invite, interview: { role: 'CEO' } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.details.field, 'interview');

    const started = await api.call('POST', '/api/v1/interview/start', { invite: template.invite, candidate: { name: 'Ada Lovelace' } });
    assert.equal(started.status, 201);
    const byId = await api.call('POST', '/api/v1/interview/start', { template_id: template.template_id, candidate: { name: 'Alan' } });
    assert.equal(byId.status, 201);
    assert.equal((await api.call('POST', '/api/v1/interview/start', { template_id: 'tpl_nope' })).status, 404);

    const session = (await api.asAdmin('GET', `/api/v1/interview/${started.body.session_id}`)).body;
    assert.equal(session.template_id, template.template_id);
    assert.equal(session.plan.role, 'Data scientist');
    assert.equal(session.settings.level, 'mid');
    assert.equal(session.plan.questions.length, 2);

    const counts = (await api.asAdmin('GET', '/api/v1/templates')).body.items.find(
      (item: { template_id: string }) => item.template_id === template.template_id,
    );
    assert.equal(counts.candidates, 2);
    assert.equal(counts.completed, 0);
  });

  it("plans a template's focus first, two questions each; two candidates get one plan and one competency list", async () => {
    const interview = { role: 'Backend engineer', level: 'mid', language: 'en', question_count: 6 } as const;
    const template = (await api.asAdmin('POST', '/api/v1/templates', { name: 'Backend, data', interview, focus: ['data modeling', 'not a competency'] })).body;
    const sessions = [];
    for (const name of ['Ada', 'Alan']) {
      const started = await api.call('POST', '/api/v1/interview/start', { template_id: template.template_id, candidate: { name } });
      assert.equal(started.status, 201);
      sessions.push(started.body.session_id as string);
    }
    const views = await Promise.all(sessions.map(async (id) => (await api.asAdmin('GET', `/api/v1/interview/${id}`)).body));
    const [first, second] = views;
    assert.deepEqual(first.plan.questions, second.plan.questions);
    const modeling = first.plan.questions.filter((question: { competency: string }) => question.competency === 'data modeling');
    assert.ok(modeling.length >= 2, JSON.stringify(first.plan.questions));
    const reports = [];
    for (const id of sessions) {
      assert.equal((await completeInterview(api.call, id)).status, 200);
      reports.push((await api.asAdmin('GET', `/api/v1/websocket/sessions/${id}`)).body.report as { competencies: Array<{ name: string }> });
    }
    const names = reports.map((report) => report.competencies.map((competency) => competency.name));
    assert.deepEqual(names[0], names[1]);
    assert.ok(names[0]?.includes('data modeling'));
  });

  it('the candidate view of a session does not reveal questions not yet asked', async () => {
    const started = (await api.call('POST', '/api/v1/interview/start', { interview: { ...settings, question_count: 4 } })).body;
    const candidateView = (await api.call('GET', `/api/v1/interview/${started.session_id}`)).body;
    const adminView = (await api.asAdmin('GET', `/api/v1/interview/${started.session_id}`)).body;
    assert.equal(adminView.plan.questions.length, 4);
    assert.equal(candidateView.plan.questions.length, 1, 'only the question being asked');
    // the same question, without the scoring guide that only the hiring team sees
    const { scoring_guide: guide, ...asked } = adminView.plan.questions[0];
    assert.ok(Array.isArray(guide));
    assert.deepEqual(candidateView.plan.questions[0], asked);
    assert.equal(candidateView.interview.total_questions, 4);
  });

  it('lists every interview with filters, cursor paging, newest first; 401 without the token', async () => {
    assert.equal((await api.call('GET', '/api/v1/interviews')).status, 401);
    const template = (await api.asAdmin('POST', '/api/v1/templates', { name: 'Listing', interview: settings })).body;
    const ids: string[] = [];
    for (const name of ['Lister One', 'Lister Two', 'Lister Three']) {
      const started = await api.call('POST', '/api/v1/interview/start', { template_id: template.template_id, candidate: { name } });
      ids.push(started.body.session_id);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ended = await completeInterview(api.call, ids[0] ?? '');
    assert.equal(ended.status, 200);

    const all = (await api.asAdmin('GET', `/api/v1/interviews?template_id=${template.template_id}`)).body;
    assert.deepEqual(all.items.map((item: { session_id: string }) => item.session_id), [...ids].reverse());
    assert.equal(all.next_cursor, null);
    const first = all.items[2];
    assert.equal(first.candidate.name, 'Lister One');
    assert.equal(first.template_id, template.template_id);
    assert.equal(first.interview.state, 'completed');
    assert.equal(first.interview.role, 'Backend engineer');
    assert.equal(first.interview.level, 'senior');
    assert.equal(first.connected, false);
    assert.equal(typeof first.report.overall_score, 'number');
    assert.match(first.report.recommendation, /^(strong_yes|yes|lean_no|no)$/);
    assert.equal(all.items[0].report, null);

    const completed = (await api.asAdmin('GET', `/api/v1/interviews?template_id=${template.template_id}&state=completed`)).body;
    assert.deepEqual(completed.items.map((item: { session_id: string }) => item.session_id), [ids[0]]);
    const named = (await api.asAdmin('GET', '/api/v1/interviews?q=lister%20t')).body;
    assert.deepEqual(named.items.map((item: { session_id: string }) => item.session_id), [ids[2], ids[1]]);

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/api/v1/interviews?template_id=${template.template_id}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = (await api.asAdmin('GET', path)).body;
      assert.ok(page.items.length <= 2);
      pages.push(...page.items.map((item: { session_id: string }) => item.session_id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    assert.deepEqual(pages, [...ids].reverse());

    const today = new Date().toISOString().slice(0, 10);
    const inRange = (await api.asAdmin('GET', `/api/v1/interviews?template_id=${template.template_id}&from=${today}&to=${today}`)).body;
    assert.equal(inRange.items.length, 3);
    const before = (await api.asAdmin('GET', `/api/v1/interviews?template_id=${template.template_id}&to=2000-01-01`)).body;
    assert.equal(before.items.length, 0);

    assert.equal((await api.asAdmin('GET', '/api/v1/interviews?limit=0')).status, 400);
    assert.equal((await api.asAdmin('GET', '/api/v1/interviews?limit=101')).status, 400);
    assert.equal((await api.asAdmin('GET', '/api/v1/interviews?state=done')).status, 400);
    assert.equal((await api.asAdmin('GET', '/api/v1/interviews?cursor=garbage')).status, 400);

    const comparison = (await api.asAdmin('GET', `/api/v1/templates/${template.template_id}/candidates`)).body;
    assert.equal(comparison.items.length, 3);
    assert.ok(comparison.competencies.length > 0);
    const scored = comparison.items.find((item: { session_id: string }) => item.session_id === ids[0]);
    for (const name of comparison.competencies) assert.equal(typeof scored.competencies[name], 'number');
    const csv = await api.asAdmin('GET', `/api/v1/templates/${template.template_id}/candidates?format=csv`);
    assert.match(csv.type, /^text\/csv/);
    const lines = String(csv.body).trim().split('\r\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0] ?? '', /^session_id,candidate,state,created_at,ended_at,overall_score,recommendation,/);
    assert.ok(lines.some((line) => line.startsWith(`${ids[0]},Lister One,completed,`)));
  });

  it('the printable report has its own signed URL, readable dates and names, a print stylesheet and no inline code', async () => {
    const started = (await api.call('POST', '/api/v1/interview/start', { candidate: { name: 'Katherine' }, interview: settings })).body;
    const beforeEnd = (await api.asAdmin('GET', `/api/v1/websocket/sessions/${started.session_id}`)).body;
    assert.equal(beforeEnd.report_page_url, null);
    assert.equal(beforeEnd.role, 'Backend engineer');
    assert.equal(beforeEnd.level, 'senior');
    await completeInterview(api.call, started.session_id);
    const detail = (await api.asAdmin('GET', `/api/v1/websocket/sessions/${started.session_id}`)).body;
    assert.match(detail.report_page_url, new RegExp(`^/reports/${started.session_id}\\?key=`));
    assert.equal(typeof detail.report.overall_score, 'number');

    const page = await api.call('GET', detail.report_page_url);
    assert.equal(page.status, 200);
    const html = String(page.body);
    assert.match(page.type, /text\/html/);
    assert.match(html, /Katherine/);
    assert.match(html, /Senior/, 'the level by its name');
    assert.match(html, /\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} UTC/, 'a readable date');
    assert.match(html, /<dt>Duration<\/dt><dd>(under a minute|\d+ min)<\/dd>/);
    assert.match(html, /Recommendation: <strong>(Strong yes|Yes|Lean no|No)<\/strong>/);
    assert.match(html, /<link rel="stylesheet" href="\/report-page.css">/);
    assert.doesNotMatch(html, /<style|onclick=|<script>(?!<)/, 'no inline styles, handlers or scripts');
    const css = await api.call('GET', '/report-page.css');
    assert.equal(css.status, 200);
    assert.match(String(css.body), /@media print/);
    assert.equal((await api.call('GET', '/report-page.js')).status, 200);

    const json = await api.call('GET', `${detail.report_page_url}&format=json`);
    assert.equal(json.body.session_id, started.session_id);
    assert.equal(typeof json.body.overall_score, 'number');
    assert.equal((await api.call('GET', `/reports/${started.session_id}?key=forged`)).status, 401);
    assert.equal((await api.call('GET', `/reports/${started.session_id}`)).status, 401);
    // a session token is no report key, and the other way round
    assert.equal((await api.call('GET', `/reports/${started.session_id}?key=${started.session_token}`)).status, 401);
  });

  it('the candidate sees a summary without scores or recommendation (CANDIDATE_REPORT=summary); the admin sees all', async () => {
    const started = (await api.call('POST', '/api/v1/interview/start', { candidate: { name: 'Grace' }, interview: settings })).body;
    const ended = await completeInterview(api.call, started.session_id);
    assert.equal(ended.status, 200);
    for (const view of [ended.body, (await api.call('GET', `/api/v1/interview/${started.session_id}/report`)).body]) {
      assert.equal(view.visibility, 'summary');
      assert.equal('overall_score' in view, false);
      assert.equal('recommendation' in view, false);
      assert.equal('concerns' in view, false);
      assert.doesNotMatch(JSON.stringify(view), /overall score|out of 5|\/5|recommend/i);
      for (const question of view.questions) {
        assert.equal('score' in question, false);
        assert.equal('notes' in question, false);
      }
      assert.match(view.summary, /Thank you, Grace,/);
    }
    const full = (await api.asAdmin('GET', `/api/v1/interview/${started.session_id}/report`)).body;
    assert.equal(typeof full.overall_score, 'number');
    assert.ok(Array.isArray(full.concerns));
  });
});

describe('recruiting API, token auth mode', () => {
  let server: RunningViva;
  let api: ReturnType<typeof requester>;
  before(async () => {
    server = await startInProcess({ AUTH_MODE: 'token', API_KEYS: 'key-one', CANDIDATE_REPORT: 'none', SESSIONS_PER_IP_PER_MINUTE: '1000' });
    api = requester(server);
  });
  after(async () => {
    await server.stop();
  });

  it("an invite key stands in for the API key; a wrong one does not; the report stays with the team (CANDIDATE_REPORT=none)", async () => {
    const template = (await api.asAdmin('POST', '/api/v1/templates', { name: 'Token', interview: settings })).body;
    assert.equal((await api.call('POST', '/api/v1/interview/start', { candidate: { name: 'No key' } })).status, 401);
    assert.equal((await api.call('POST', '/api/v1/interview/start', { template_id: template.template_id })).status, 401);
    assert.equal((await api.call('POST', '/api/v1/interview/start', { invite: 'AAAAAAAAAAAAAAAAAAAAAAAA' })).status, 401);
    const withKey = await api.call('POST', '/api/v1/interview/start', { template_id: template.template_id }, { 'x-api-key': 'key-one' });
    assert.equal(withKey.status, 201);

    const started = await api.call('POST', '/api/v1/interview/start', { invite: template.invite, candidate: { name: 'Invited' } });
    assert.equal(started.status, 201);
    const token = { 'x-session-token': started.body.session_token };
    const ended = await completeInterview(api.call, started.body.session_id, token);
    assert.equal(ended.status, 200);
    assert.equal(ended.body.visibility, 'none');
    assert.equal('overall_score' in ended.body, false);
    assert.equal('summary' in ended.body, false);

    const report = await api.call('GET', `/api/v1/interview/${started.body.session_id}/report`, undefined, token);
    assert.equal(report.status, 403);
    assert.equal(report.body.error.code, 'UNAUTHORIZED');
    const full = await api.asAdmin('GET', `/api/v1/interview/${started.body.session_id}/report`);
    assert.equal(full.status, 200);
    assert.equal(typeof full.body.overall_score, 'number');

    const listed = (await api.asAdmin('GET', `/api/v1/interviews?template_id=${template.template_id}`)).body;
    assert.equal(listed.items.length, 2);
    assert.equal((await api.call('GET', '/api/v1/interviews', undefined, { 'x-api-key': 'key-one' })).status, 401);
  });
});
