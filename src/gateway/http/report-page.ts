import type { InterviewReport } from '@viva/protocol/interview-schemas.js';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escape(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => escapes[character] ?? character);
}

const labels = {
  en: {
    title: 'Interview report',
    candidate: 'Candidate',
    role: 'Role',
    level: 'Level',
    date: 'Date',
    duration: 'Duration',
    overall: 'Overall score',
    recommendation: 'Recommendation',
    competencies: 'Competencies',
    evidence: 'Evidence (the candidate’s words)',
    questions: 'Questions',
    answer: 'Answer',
    followUps: 'Follow-ups',
    notes: 'Notes',
    score: 'Score',
    guide: 'Scoring guide',
    strengths: 'Strengths',
    concerns: 'Concerns',
    print: 'Print',
    json: 'Download JSON',
    provisional: 'Provisional: the interview has not ended.',
    minutes: (minutes: number) => (minutes < 1 ? 'under a minute' : minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h${minutes % 60 === 0 ? '' : ` ${minutes % 60} min`}`),
    levels: { junior: 'Junior', mid: 'Mid-level', senior: 'Senior', lead: 'Lead / Staff' } as Record<string, string>,
    recommendations: { strong_yes: 'Strong yes', yes: 'Yes', lean_no: 'Lean no', no: 'No' },
    method: { heuristic: 'Scored by the built-in heuristic engine', llm: 'Written by an AI model' },
    locale: 'en-GB',
  },
  zh: {
    title: '面试报告',
    candidate: '候选人',
    role: '职位',
    level: '级别',
    date: '日期',
    duration: '时长',
    overall: '总体评分',
    recommendation: '建议',
    competencies: '能力维度',
    evidence: '依据（候选人原话）',
    questions: '问题',
    answer: '回答',
    followUps: '追问',
    notes: '评语',
    score: '评分',
    guide: '评分标准',
    strengths: '优势',
    concerns: '顾虑',
    print: '打印',
    json: '下载 JSON',
    provisional: '临时报告：面试尚未结束。',
    minutes: (minutes: number) => (minutes < 1 ? '不到 1 分钟' : minutes < 60 ? `${minutes} 分钟` : `${Math.floor(minutes / 60)} 小时${minutes % 60 === 0 ? '' : ` ${minutes % 60} 分钟`}`),
    levels: { junior: '初级', mid: '中级', senior: '高级', lead: '资深 / 专家' } as Record<string, string>,
    recommendations: { strong_yes: '强烈推荐', yes: '推荐', lean_no: '倾向不推荐', no: '不推荐' },
    method: { heuristic: '由内置启发式引擎评分', llm: '由 AI 模型撰写' },
    locale: 'zh-CN',
  },
} as const;

/** Where the page's stylesheet and print script are served (same origin: no inline code, for CSP). */
export const REPORT_PAGE_CSS_PATH = '/report-page.css';
export const REPORT_PAGE_SCRIPT_PATH = '/report-page.js';

/** "4 December 2026 at 10:12 UTC": the server does not know the reader's time zone, so it says which. */
function readableDate(iso: string | null, locale: string): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`;
}

/**
 * "System design" from "system design" (or from "system_design", as a model may write it); names in
 * scripts without case stay as they are.
 */
export function competencyName(name: string): string {
  const words = /^[a-z0-9]+(_[a-z0-9]+)+$/.test(name) ? name.replaceAll('_', ' ') : name;
  return words.charAt(0).toLocaleUpperCase('en') + words.slice(1);
}

type ReportQuestion = InterviewReport['questions'][number];

/** The question's scoring guide (what a 1, a 3 and a 5 contain), lowest score first; empty when the report has none. */
function scoringGuideOf(question: ReportQuestion): NonNullable<ReportQuestion['scoring_guide']> {
  return [...(question.scoring_guide ?? [])].filter((line) => line.description.trim() !== '').sort((a, b) => a.score - b.score);
}

/**
 * The report as a self-contained page a hiring manager can print or file: readable dates and duration,
 * proper names, the scoring guide per question when the plan has one, a print stylesheet. Every value is
 * escaped; styles and the print button's script are same-origin files, so a strict CSP allows the page.
 * `jsonUrl`, when given, is offered as a download of the same report.
 */
export function renderReportPage(report: InterviewReport, options: { jsonUrl?: string } = {}): string {
  const text = labels[report.interview.language];
  const list = (items: string[]) => (items.length === 0 ? '<p class="muted">—</p>' : `<ul>${items.map((item) => `<li>${escape(item)}</li>`).join('')}</ul>`);
  const started = report.started_at === null ? Number.NaN : Date.parse(report.started_at);
  const ended = report.ended_at === null ? Number.NaN : Date.parse(report.ended_at);
  const duration = Number.isNaN(started) || Number.isNaN(ended) ? '—' : text.minutes(Math.round((ended - started) / 60_000));
  const competencies = report.competencies
    .map(
      (competency) =>
        `<tr><th scope="row">${escape(competencyName(competency.name))}</th><td class="num">${escape(competency.score.toFixed(1))} / 5</td><td>${competency.evidence
          .map((quote) => `<q>${escape(quote)}</q>`)
          .join('<br>')}</td></tr>`,
    )
    .join('');
  const questions = report.questions
    .map((question, index) => {
      const guide = scoringGuideOf(question);
      return `<section class="question">
  <h3>${index + 1}. ${escape(question.question)}</h3>
  <p><strong>${text.answer}:</strong> ${escape(question.answer) || '—'}</p>
  ${question.follow_ups.length > 0 ? `<p><strong>${text.followUps}:</strong></p><ul>${question.follow_ups.map((followUp) => `<li><em>${escape(followUp.question)}</em><br>${escape(followUp.answer)}</li>`).join('')}</ul>` : ''}
  <p><strong>${text.score}:</strong> ${question.score === null ? '—' : `${escape(question.score.toFixed(1))} / 5`}${question.notes ? ` · <strong>${text.notes}:</strong> ${escape(question.notes)}` : ''}</p>
  ${
    guide.length > 0
      ? `<section class="guide"><h4>${text.guide}</h4><dl>${guide.map((line) => `<div><dt>${escape(line.score)}</dt><dd>${escape(line.description)}</dd></div>`).join('')}</dl></section>`
      : ''
  }
</section>`;
    })
    .join('\n');
  const level = text.levels[report.interview.level] ?? report.interview.level;
  return `<!doctype html>
<html lang="${report.interview.language === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title} · ${escape(report.candidate.name ?? report.session_id)}</title>
<link rel="stylesheet" href="${REPORT_PAGE_CSS_PATH}">
<script src="${REPORT_PAGE_SCRIPT_PATH}" defer></script>
</head>
<body>
<nav class="actions"><button type="button" data-action="print">${text.print}</button>${options.jsonUrl === undefined ? '' : ` <a href="${escape(options.jsonUrl)}" download>${text.json}</a>`}</nav>
<h1>${text.title}</h1>
<dl class="meta">
  <div><dt>${text.candidate}</dt><dd>${escape(report.candidate.name ?? '—')}</dd></div>
  <div><dt>${text.role}</dt><dd>${escape(report.interview.role)}</dd></div>
  <div><dt>${text.level}</dt><dd>${escape(level)}</dd></div>
  <div><dt>${text.date}</dt><dd>${escape(readableDate(report.started_at, text.locale))}</dd></div>
  <div><dt>${text.duration}</dt><dd>${escape(duration)}</dd></div>
</dl>
${report.ended_at === null ? `<p class="note">${text.provisional}</p>` : ''}
<p class="overall"><span class="score">${escape(report.overall_score.toFixed(1))}</span> / 5 · ${text.recommendation}: <strong>${escape(text.recommendations[report.recommendation])}</strong></p>
<p>${escape(report.summary)}</p>
<p class="note">${escape(report.method_note ?? text.method[report.method])}</p>
<h2>${text.competencies}</h2>
<table><thead><tr><th scope="col">${text.competencies}</th><th scope="col">${text.score}</th><th scope="col">${text.evidence}</th></tr></thead><tbody>${competencies}</tbody></table>
<div class="columns">
<section><h2>${text.strengths}</h2>${list(report.strengths)}</section>
<section><h2>${text.concerns}</h2>${list(report.concerns)}</section>
</div>
<h2>${text.questions}</h2>
${questions}
<footer class="muted">${escape(report.session_id)}</footer>
</body>
</html>`;
}

/** The page's stylesheet, screen and print. */
export const REPORT_PAGE_CSS = `
body { font: 15px/1.55 system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', sans-serif; max-width: 860px; margin: 2rem auto; padding: 0 1rem; color: #1d232a; }
h1 { margin: .5rem 0; } h2 { margin-top: 1.75rem; border-bottom: 2px solid #1d232a; padding-bottom: .2rem; font-size: 1.15rem; }
h3 { font-size: 1rem; margin: .75rem 0 .25rem; }
.meta { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .25rem 1rem; margin: 0 0 1rem; }
.meta dt { color: #56606b; font-size: .8rem; } .meta dd { margin: 0; font-weight: 600; }
.muted { color: #56606b; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #dde2e7; padding: .4rem; text-align: left; vertical-align: top; }
.num { white-space: nowrap; }
.score { font-size: 2rem; font-weight: 700; }
.question { border-top: 1px solid #eef1f4; padding-top: .25rem; }
.guide { background: #f4f6f8; padding: .4rem .8rem; border-radius: 6px; margin: .5rem 0; }
.guide h4 { margin: 0 0 .25rem; font-size: .85rem; color: #56606b; }
.guide dl { margin: 0; } .guide dl > div { display: flex; gap: .6rem; }
.guide dt { font-weight: 700; min-width: 1.2rem; } .guide dd { margin: 0; }
.note { background: #f4f6f8; padding: .6rem .8rem; border-radius: 6px; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0 1.5rem; }
.actions { display: flex; gap: 1rem; align-items: center; }
.actions button { font: inherit; padding: .35rem .9rem; cursor: pointer; }
footer { margin-top: 2rem; font-size: .75rem; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; color: #000; }
  .actions { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  .question, tr, .meta, .overall { break-inside: avoid; }
  .note, .guide { background: none; border: 1px solid #999; }
  .guide h4 { color: #000; }
}
`;

/** The print button, bound without an inline handler. */
export const REPORT_PAGE_SCRIPT = `document.addEventListener('click', (event) => {
  if (event.target instanceof Element && event.target.closest('[data-action="print"]')) window.print();
});
`;
