import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interviewReportSchema, type InterviewReport } from '@viva/protocol/interview-schemas.js';
import { REPORT_PAGE_CSS, renderReportPage } from './report-page.js';

/** A finished report as the engines write it (1.1), parsed by the protocol's own schema so it stays valid. */
function report(overrides: Partial<InterviewReport> = {}): InterviewReport {
  return interviewReportSchema.parse({
    session_id: 'sess_report_page',
    candidate: { name: 'Ada <Lovelace>' },
    interview: { role: 'Backend engineer', level: 'senior', language: 'en' },
    started_at: '2026-12-04T10:12:00.000Z',
    ended_at: '2026-12-04T10:35:20.000Z',
    end_reason: 'completed',
    method: 'heuristic',
    overall_score: 3.6,
    recommendation: 'yes',
    summary: 'Solid answers with concrete numbers.',
    competencies: [
      { name: 'system_design', score: 4, evidence: ['we sharded by tenant'] },
      { name: 'API design', score: 3, evidence: [] },
    ],
    questions: [
      {
        question: 'How would you design a rate limiter?',
        answer: 'A token bucket per key in Redis <script>alert(1)</script>',
        follow_ups: [],
        score: 4,
        notes: 'Named the trade-offs.',
        scoring_guide: [
          { score: 5, description: 'Compares algorithms, names failure modes & how to observe them' },
          { score: 1, description: 'No mechanism, or only "block bad users"' },
          { score: 3, description: 'One working algorithm with its limits' },
        ],
      },
      { question: 'Tell me about a project you are proud of.', answer: 'The billing rewrite.', follow_ups: [], score: 3, notes: '' },
    ],
    strengths: ['Concrete'],
    concerns: [],
    ...overrides,
  });
}

describe('the printable report page', () => {
  it("shows each question's scoring guide, 1 to 5, under that question, escaped", () => {
    const html = renderReportPage(report());
    const [first, second] = html.split('<section class="question">').slice(1);
    assert.ok(first !== undefined && second !== undefined);
    assert.match(first, /<section class="guide"><h4>Scoring guide<\/h4>/);
    const scores = [...first.matchAll(/<dt>(\d)<\/dt><dd>([^<]*)<\/dd>/g)].map((match) => [match[1], match[2]]);
    assert.deepEqual(scores, [
      ['1', 'No mechanism, or only &quot;block bad users&quot;'],
      ['3', 'One working algorithm with its limits'],
      ['5', 'Compares algorithms, names failure modes &amp; how to observe them'],
    ]);
    assert.doesNotMatch(second, /class="guide"/, 'a question without a guide shows none');
    assert.doesNotMatch(html, /<script>alert/, 'answers are escaped');
  });

  it('says the guide in the interview language', () => {
    const html = renderReportPage(report({ interview: { role: '后端工程师', level: 'senior', language: 'zh' } }));
    assert.match(html, /<h4>评分标准<\/h4>/);
    assert.match(html, /<dt>级别<\/dt><dd>高级<\/dd>/);
    assert.match(html, /<dt>日期<\/dt><dd>2026年12月4日 10:12 UTC<\/dd>/);
    assert.match(html, /<dt>时长<\/dt><dd>23 分钟<\/dd>/);
  });

  it('writes dates, durations, levels, recommendations and competencies as a reader says them', () => {
    const html = renderReportPage(report(), { jsonUrl: '/reports/sess_report_page?key=k&format=json' });
    assert.match(html, /<dt>Date<\/dt><dd>4 December 2026 at 10:12 UTC<\/dd>/);
    assert.match(html, /<dt>Duration<\/dt><dd>23 min<\/dd>/);
    assert.match(html, /<dt>Level<\/dt><dd>Senior<\/dd>/);
    assert.match(html, /Recommendation: <strong>Yes<\/strong>/);
    assert.match(html, /<th scope="row">System design<\/th>/, 'an identifier-like name becomes words');
    assert.match(html, /<th scope="row">API design<\/th>/, 'an acronym stays as written');
    assert.match(html, /Ada &lt;Lovelace&gt;/);
    assert.match(html, /<a href="\/reports\/sess_report_page\?key=k&amp;format=json" download>Download JSON<\/a>/);
    assert.doesNotMatch(renderReportPage(report({ ended_at: null })), /<dt>Duration<\/dt><dd>\d/, 'no duration before the end');
    assert.match(renderReportPage(report({ ended_at: '2026-12-04T11:47:00.000Z' })), /<dt>Duration<\/dt><dd>1 h 35 min<\/dd>/, 'hours past the hour');
  });

  it('has a print stylesheet: A4 pages, no buttons, questions and guides kept whole', () => {
    const print = REPORT_PAGE_CSS.slice(REPORT_PAGE_CSS.indexOf('@media print'));
    assert.match(REPORT_PAGE_CSS, /@page \{ size: A4;/);
    assert.match(print, /\.actions \{ display: none; \}/);
    assert.match(print, /\.question, [^{]*\{ break-inside: avoid; \}/);
    assert.match(print, /\.guide \{ background: none;/);
  });
});
