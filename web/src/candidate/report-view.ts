import type { CandidateReport } from '@viva/protocol/interview-schemas.js';
import { h, icon, icons, type Child } from '../shared/dom.js';
import { t, uiLanguage } from '../shared/i18n.js';

/**
 * What the candidate sees once the interview has ended: a thank-you, their own answers, the competencies
 * with their own words as evidence, and the strengths. Never a score or a recommendation: those are for
 * the hiring team (docs/protocol.md §10). `report` null means the team keeps the evaluation to itself
 * (CANDIDATE_REPORT=none): only the thank-you is shown. Print CSS (candidate.css) prints this section alone.
 */
export function renderReport(report: CandidateReport | null, options: { onNewInterview: () => void }): HTMLElement {
  const actions = h(
    'div',
    { class: 'report-actions' },
    report === null
      ? null
      : h('button', { class: 'button button-secondary', attrs: { type: 'button' }, on: { click: () => window.print() } }, icon(icons.print), h('span', { i18n: 'report.print' })),
    h('button', { class: 'button', attrs: { type: 'button' }, i18n: 'report.newInterview', on: { click: options.onNewInterview } }),
  );
  if (report === null) {
    return h(
      'article',
      { class: 'report', attrs: { 'aria-labelledby': 'report-title' } },
      h('header', { class: 'card report-header' }, h('h1', { i18n: 'report.thanks', attrs: { id: 'report-title', tabindex: -1 } }), h('p', { class: 'report-summary', i18n: 'report.teamOnly' }), actions),
    );
  }
  const date = report.ended_at ?? report.started_at;
  const locale = report.interview.language === 'zh' ? 'zh-CN' : 'en-GB';
  const meta = t('report.meta', {
    role: report.interview.role,
    level: levelName(report.interview.level),
    date: date === null ? '' : new Date(date).toLocaleDateString(uiLanguage() === 'zh' ? 'zh-CN' : locale, { dateStyle: 'medium' }),
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
        h('h1', { i18n: 'report.thanks', attrs: { id: 'report-title', tabindex: -1 } }),
        h('p', { class: 'report-meta' }, report.candidate.name ? h('strong', { text: report.candidate.name }) : null, report.candidate.name ? ' · ' : '', meta),
      ),
      h('p', { class: 'report-summary', text: report.summary }),
      actions,
    ),
    report.competencies.length === 0
      ? null
      : section(
          'report.competencies',
          h(
            'ul',
            { class: 'competencies' },
            ...report.competencies.map((competency) =>
              h(
                'li',
                { class: 'competency' },
                h('div', { class: 'competency-head' }, h('span', { class: 'competency-name', text: competency.name })),
                competency.evidence.length > 0
                  ? h('div', { class: 'evidence' }, h('span', { class: 'evidence-label', i18n: 'report.evidence' }), ...competency.evidence.slice(0, 2).map((quote) => h('q', { text: quote })))
                  : null,
              ),
            ),
          ),
        ),
    section('report.strengths', bulletList(report.strengths)),
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

function section(titleKey: 'report.competencies' | 'report.strengths' | 'report.questions', ...children: Child[]): HTMLElement {
  return h('section', { class: 'card report-section' }, h('h2', { i18n: titleKey }), ...children);
}

function bulletList(items: string[]): HTMLElement {
  if (items.length === 0) return h('p', { class: 'muted', i18n: 'report.none' });
  return h('ul', { class: 'bullets' }, ...items.map((item) => h('li', { text: item })));
}
