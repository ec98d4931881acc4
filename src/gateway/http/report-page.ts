import type { InterviewReport } from '../../protocol/interview-schemas.js';
import { contentSecurityPolicy, styleHash } from './content-security-policy.js';

// the page's one inline <style> is allowed by its hash; its one script is a file (no inline script)
const REPORT_STYLE = `
  body { font: 15px/1.55 system-ui, sans-serif; max-width: 860px; margin: 2rem auto; padding: 0 1rem; color: #1d232a; }
  h1 { margin-bottom: .25rem; } .meta { color: #56606b; }
  table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #dde2e7; padding: .4rem; text-align: left; vertical-align: top; }
  .score { font-size: 2rem; font-weight: 700; } .question { border-top: 1px solid #eef1f4; padding-top: .5rem; }
  .note { background: #f4f6f8; padding: .6rem .8rem; border-radius: 6px; }
  @media print { button { display: none; } body { margin: 0; } }
`;

/** Where the report page's script (the print button) is served. */
export const REPORT_SCRIPT_PATH = '/api/v1/assets/report-page.js';
export const REPORT_SCRIPT = "document.querySelector('[data-action=print]')?.addEventListener('click', () => window.print());\n";
export const REPORT_PAGE_CSP = contentSecurityPolicy({ styleHashes: [styleHash(REPORT_STYLE)] });

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escape(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => escapes[character] ?? character);
}

const labels = {
  en: {
    title: 'Interview report',
    candidate: 'Candidate',
    role: 'Role',
    overall: 'Overall score',
    recommendation: 'Recommendation',
    competencies: 'Competencies',
    questions: 'Questions',
    answer: 'Answer',
    followUps: 'Follow-ups',
    notes: 'Notes',
    score: 'Score',
    strengths: 'Strengths',
    concerns: 'Concerns',
    print: 'Print',
    provisional: 'Provisional: the interview has not ended.',
  },
  zh: {
    title: '面试报告',
    candidate: '候选人',
    role: '职位',
    overall: '总体评分',
    recommendation: '建议',
    competencies: '能力维度',
    questions: '问题',
    answer: '回答',
    followUps: '追问',
    notes: '评语',
    score: '评分',
    strengths: '优势',
    concerns: '顾虑',
    print: '打印',
    provisional: '临时报告：面试尚未结束。',
  },
} as const;

/** The report as a self-contained, printable HTML page (every value escaped). */
export function renderReportPage(report: InterviewReport): string {
  const text = labels[report.interview.language];
  const list = (items: string[]) => `<ul>${items.map((item) => `<li>${escape(item)}</li>`).join('')}</ul>`;
  const competencies = report.competencies
    .map(
      (competency) =>
        `<tr><td>${escape(competency.name)}</td><td>${escape(competency.score)}</td><td>${competency.evidence
          .map((quote) => `<q>${escape(quote)}</q>`)
          .join('<br>')}</td></tr>`,
    )
    .join('');
  const questions = report.questions
    .map(
      (question, index) => `<section class="question">
  <h3>${index + 1}. ${escape(question.question)}</h3>
  <p><strong>${text.answer}:</strong> ${escape(question.answer) || '—'}</p>
  ${question.follow_ups.length > 0 ? `<p><strong>${text.followUps}:</strong></p><ul>${question.follow_ups.map((followUp) => `<li><em>${escape(followUp.question)}</em><br>${escape(followUp.answer)}</li>`).join('')}</ul>` : ''}
  <p><strong>${text.score}:</strong> ${question.score === null ? '—' : escape(question.score)} · <strong>${text.notes}:</strong> ${escape(question.notes)}</p>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${report.interview.language === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title} · ${escape(report.candidate.name ?? report.session_id)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<button type="button" data-action="print">${text.print}</button>
<script src="${REPORT_SCRIPT_PATH}"></script>
<h1>${text.title}</h1>
<p class="meta">${text.candidate}: ${escape(report.candidate.name ?? '—')} · ${text.role}: ${escape(report.interview.role)} (${escape(report.interview.level)}) · ${escape(report.started_at ?? '')} → ${escape(report.ended_at ?? '')}</p>
${report.ended_at === null ? `<p class="note">${text.provisional}</p>` : ''}
<p><span class="score">${escape(report.overall_score.toFixed(1))}</span> / 5 · ${text.recommendation}: <strong>${escape(report.recommendation)}</strong></p>
<p>${escape(report.summary)}</p>
${report.method_note ? `<p class="note">${escape(report.method_note)}</p>` : ''}
<h2>${text.competencies}</h2>
<table><thead><tr><th>${text.competencies}</th><th>${text.score}</th><th></th></tr></thead><tbody>${competencies}</tbody></table>
<h2>${text.strengths}</h2>${list(report.strengths)}
<h2>${text.concerns}</h2>${list(report.concerns)}
<h2>${text.questions}</h2>
${questions}
</body>
</html>`;
}
