import type { InterviewReport } from '../../../src/protocol/interview-schemas.js';
import { h, icon, icons, type Child } from '../shared/dom.js';
import { t, uiLanguage } from '../shared/i18n.js';

/**
 * The evaluation, rendered from the report JSON. Print CSS (candidate.css) hides everything but this
 * section, so "Print" gives a clean page; the server's HTML report is linked as well.
 */
export function renderReport(report: InterviewReport, options: { printableUrl: string; onNewInterview: () => void }): HTMLElement {
  const score = report.overall_score;
  const date = report.ended_at ?? report.started_at;
  const meta = t('report.meta', {
    role: report.interview.role,
    level: levelName(report.interview.level),
    date: date === null ? '' : new Date(date).toLocaleDateString(uiLanguage() === 'zh' ? 'zh-CN' : undefined, { dateStyle: 'medium' }),
  });
  return h(
    'article',
    { class: 'report', attrs: { 'aria-labelledby': 'report-title' } },
    h(
      'header',
      { class: 'card report-header' },
      h(
        'div',
        { class: 'report-heading' },
        h('h1', { i18n: 'report.title', attrs: { id: 'report-title', tabindex: -1 } }),
        h('p', { class: 'report-meta' }, report.candidate.name ? h('strong', { text: report.candidate.name }) : null, report.candidate.name ? ' · ' : '', meta),
      ),
      h(
        'div',
        { class: 'report-score' },
        h(
          'div',
          { class: 'score-figure', attrs: { 'aria-label': `${t('report.overall')}: ${score.toFixed(1)} / 5` } },
          h('span', { class: 'score-value', text: score.toFixed(1) }),
          h('span', { class: 'score-scale', text: '/ 5' }),
        ),
        h(
          'div',
          { class: 'score-details' },
          h('span', { class: 'score-label', i18n: 'report.overall' }),
          h('span', { class: `recommendation recommendation-${report.recommendation}` }, `${t('report.recommendation')}: ${t(`report.recommendation.${report.recommendation}`)}`),
        ),
      ),
      h('p', { class: 'report-summary', text: report.summary }),
      h(
        'p',
        { class: 'alert alert-info report-method' },
        icon(icons.info),
        h('span', { class: 'alert-body', text: report.method_note ?? t(report.method === 'llm' ? 'report.llm' : 'report.heuristic') }),
      ),
      h(
        'div',
        { class: 'report-actions' },
        h('a', { class: 'button button-secondary', attrs: { href: options.printableUrl, target: '_blank', rel: 'noopener' } }, icon(icons.open), h('span', { i18n: 'report.printable' })),
        h('button', { class: 'button button-secondary', attrs: { type: 'button' }, on: { click: () => window.print() } }, icon(icons.print), h('span', { i18n: 'report.print' })),
        h('button', { class: 'button', attrs: { type: 'button' }, i18n: 'report.newInterview', on: { click: options.onNewInterview } }),
      ),
    ),
    section(
      'report.competencies',
      h(
        'ul',
        { class: 'competencies' },
        ...report.competencies.map((competency) =>
          h(
            'li',
            { class: 'competency' },
            h('div', { class: 'competency-head' }, h('span', { class: 'competency-name', text: competency.name }), h('span', { class: 'competency-score', text: `${competency.score.toFixed(1)} / 5` })),
            scoreBar(competency.score),
            competency.evidence.length > 0
              ? h('div', { class: 'evidence' }, h('span', { class: 'evidence-label', i18n: 'report.evidence' }), ...competency.evidence.slice(0, 2).map((quote) => h('q', { text: quote })))
              : null,
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'report-columns' },
      section('report.strengths', bulletList(report.strengths)),
      section('report.concerns', bulletList(report.concerns)),
    ),
    section(
      'report.questions',
      h(
        'ol',
        { class: 'report-questions' },
        ...report.questions.map((question) =>
          h(
            'li',
            { class: 'report-question' },
            h('h3', { text: question.question }),
            h('p', {}, h('strong', { i18n: 'report.answer' }), ': ', question.answer || t('report.noAnswer')),
            question.follow_ups.length > 0
              ? h(
                  'div',
                  { class: 'follow-ups' },
                  h('strong', { i18n: 'report.followUps' }),
                  h('ul', {}, ...question.follow_ups.map((followUp) => h('li', {}, h('em', { text: followUp.question }), h('br'), followUp.answer))),
                )
              : null,
            h(
              'p',
              { class: 'question-notes' },
              h('span', { class: 'chip', text: `${t('report.score')}: ${question.score === null ? '—' : question.score.toFixed(1)}` }),
              question.notes ? ` ${question.notes}` : '',
            ),
          ),
        ),
      ),
    ),
  );
}

/** The server normalizes levels to junior / mid / senior / lead; those read better in the UI's words. */
function levelName(level: string): string {
  return level === 'junior' || level === 'mid' || level === 'senior' || level === 'lead' ? t(`start.level.${level}`) : level;
}

function section(titleKey: 'report.competencies' | 'report.strengths' | 'report.concerns' | 'report.questions', ...children: Child[]): HTMLElement {
  return h('section', { class: 'card report-section' }, h('h2', { i18n: titleKey }), ...children);
}

function bulletList(items: string[]): HTMLElement {
  if (items.length === 0) return h('p', { class: 'muted', i18n: 'report.none' });
  return h('ul', { class: 'bullets' }, ...items.map((item) => h('li', { text: item })));
}

function scoreBar(score: number): HTMLElement {
  const fill = h('span', { class: 'score-bar-fill' });
  fill.style.width = `${Math.round((score / 5) * 100)}%`;
  return h('span', { class: 'score-bar', attrs: { 'aria-hidden': 'true' } }, fill);
}
