import { h, replaceChildren } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import type { AdminApi, SessionDetail } from './admin-api.js';
import { competencyLabel, formatDateTime, formatTime, levelLabel, saveBlob, scoreText } from './format.js';
import type { InterviewReport, ScoringGuide } from '@viva/protocol/interview-schemas.js';
import { noticeForm } from './notice-form.js';
import { describeProgress } from './sessions-panel.js';

/**
 * One session, followed as it happens: who, where the interview stands, the transcript (re-rendered only
 * when it changed, so reading and scrolling are not disturbed by polls), and a message to the candidate.
 */
export class SessionDetailPanel {
  readonly element: HTMLElement;
  private readonly content: HTMLDivElement;
  private sessionId: string | undefined;
  private detail: SessionDetail | undefined;
  private transcriptSignature = '';
  private header: HTMLDivElement | undefined;
  private transcript: HTMLOListElement | undefined;
  private actions: HTMLDivElement | undefined;
  private report: HTMLDivElement | undefined;
  private reportSignature = '';

  constructor(
    private readonly api: () => AdminApi,
    private readonly onErased: (sessionId: string) => void = () => undefined,
  ) {
    this.content = h('div', { class: 'detail-content' });
    this.element = h(
      'section',
      { class: 'panel detail', attrs: { 'aria-labelledby': 'detail-title' } },
      h('div', { class: 'panel-head' }, h('h2', { i18n: 'admin.detail', attrs: { id: 'detail-title' } })),
      this.content,
    );
    this.showEmpty();
  }

  get selected(): string | undefined {
    return this.sessionId;
  }

  /** Switches to another session (or none). */
  select(sessionId: string | undefined): void {
    if (sessionId === this.sessionId) return;
    this.sessionId = sessionId;
    this.detail = undefined;
    this.transcriptSignature = '';
    this.reportSignature = '';
    if (sessionId === undefined) return this.showEmpty();
    this.actions = h('div', { class: 'detail-actions' });
    this.report = h('div', { class: 'detail-report' });
    this.header = h('div', { class: 'detail-header' }, h('code', { class: 'session-id', text: sessionId }));
    this.transcript = h('ol', { class: 'transcript', attrs: { 'aria-live': 'polite', 'aria-labelledby': 'transcript-title' } });
    const form = noticeForm({
      id: 'session-message',
      labelKey: 'admin.messageLabel',
      placeholderKey: 'admin.messagePlaceholder',
      submitKey: 'admin.messageSend',
      send: async (message) => {
        const outcome = await this.api().sendMessage(sessionId, message);
        return t(outcome.delivered ? 'admin.messageSent' : 'admin.messageQueued', { seq: outcome.seq });
      },
    });
    this.content.replaceChildren(
      this.header,
      this.actions,
      h('h3', { class: 'transcript-title', i18n: 'admin.transcript', attrs: { id: 'transcript-title' } }),
      h('div', { class: 'transcript-scroll' }, this.transcript),
      form,
      this.report,
    );
    this.element.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }

  update(detail: SessionDetail): void {
    if (detail.session_id !== this.sessionId) return;
    this.detail = detail;
    this.render();
  }

  /** `force` re-renders the transcript too (its labels are in the interface language). */
  render(force = false): void {
    if (force) this.transcriptSignature = '';
    const detail = this.detail;
    if (detail === undefined || this.header === undefined || this.transcript === undefined) return;
    const connection = detail.connection;
    replaceChildren(
      this.header,
      h(
        'div',
        { class: 'detail-title-row' },
        h('strong', { class: 'detail-name', text: detail.candidate.name || '—' }),
        h('span', { class: `badge ${connection ? 'badge-online' : ''}` }, h('span', { class: 'badge-dot' }), connection ? t('connection.open') : t('admin.disconnected')),
      ),
      h('code', { class: 'session-id', text: detail.session_id }),
      detail.role === undefined ? null : h('p', { class: 'detail-meta detail-role', text: `${detail.role} · ${levelLabel(detail.level ?? '')}` }),
      h('p', { class: 'detail-meta', text: describeProgress(detail.interview) }),
      h('p', { class: 'detail-meta', text: `${t('admin.startedAt', { time: formatDateTime(detail.started_at ?? detail.created_at) })}${detail.ended_at ? ` · ${t('admin.endedAt', { time: formatDateTime(detail.ended_at) })}` : ''}` }),
      connection ? h('p', { class: 'detail-meta', text: t('admin.connectedSince', { time: formatTime(connection.connected_at), address: connection.remote_address }) }) : null,
    );
    this.renderActions(detail);
    this.renderReport(detail.report ?? null);
    const last = detail.transcript.at(-1);
    const notices = detail.notices ?? [];
    const signature = `${detail.transcript.length}:${last?.interviewer.length ?? 0}:${last?.candidate?.length ?? 0}:${notices.length}`;
    if (signature === this.transcriptSignature) return;
    this.transcriptSignature = signature;
    const scroller = this.transcript.parentElement;
    const atEnd = scroller === null || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
    if (detail.transcript.length === 0) {
      this.transcript.replaceChildren(h('li', { class: 'empty', i18n: 'admin.transcriptEmpty' }));
    } else {
      const lines: Array<{ at: string; order: number; element: HTMLLIElement }> = [];
      detail.transcript.forEach((turn, index) => {
        if (turn.candidate !== null) {
          lines.push({
            at: turn.at,
            order: index * 2,
            element: h(
              'li',
              { class: 'line line-candidate' },
              h('span', { class: 'line-role' }, detail.candidate.name || t('role.candidate'), turn.input_kind ? h('span', { class: 'chip', text: t(turn.input_kind === 'audio' ? 'admin.input.audio' : 'admin.input.text') }) : null),
              h('p', { text: turn.candidate }),
            ),
          });
        }
        lines.push({ at: turn.at, order: index * 2 + 1, element: h('li', { class: 'line line-interviewer' }, h('span', { class: 'line-role', i18n: 'role.interviewer' }), h('p', { text: turn.interviewer })) });
      });
      // the team's own messages, placed by time among the turns
      for (const notice of notices) {
        lines.push({ at: notice.at, order: Number.MAX_SAFE_INTEGER, element: h('li', { class: 'line line-team' }, h('span', { class: 'line-role', i18n: 'admin.team' }), h('p', { text: notice.message })) });
      }
      lines.sort((a, b) => (a.at === b.at ? a.order - b.order : a.at < b.at ? -1 : 1));
      this.transcript.replaceChildren(...lines.map((line) => line.element));
    }
    if (atEnd && scroller !== null) scroller.scrollTop = scroller.scrollHeight;
  }

  private renderActions(detail: SessionDetail): void {
    const actions = this.actions;
    if (actions === undefined || actions.dataset.state === `${detail.interview.state}:${detail.report ? 1 : 0}`) return;
    actions.dataset.state = `${detail.interview.state}:${detail.report ? 1 : 0}`;
    const sessionId = detail.session_id;
    const result = h('p', { class: 'form-result', attrs: { role: 'status' } });
    const fail = (error: unknown) => (result.textContent = t('admin.failed', { message: error instanceof Error ? error.message : String(error) }));
    const button = (key: Parameters<typeof t>[0], onClick: () => void, kind = 'button-secondary') =>
      h('button', { class: `button ${kind} button-small`, attrs: { type: 'button' }, i18n: key, on: { click: onClick } });
    const confirmRow = h('div', { class: 'confirm-row', attrs: { hidden: true } });
    replaceChildren(
      actions,
      detail.interview.state === 'completed' ? null : button('admin.end', () => void this.api().endInterview(sessionId).then(() => (result.textContent = t('admin.ended')), fail)),
      detail.report_page_url
        ? h('a', { class: 'button button-secondary button-small', attrs: { href: detail.report_page_url, target: '_blank', rel: 'noopener' }, i18n: 'admin.printable' })
        : null,
      detail.report ? button('admin.exportJson', () => saveBlob(new Blob([JSON.stringify(detail.report, null, 2)], { type: 'application/json' }), `report-${sessionId}.json`)) : null,
      button('admin.erase', () => {
        confirmRow.hidden = false;
        confirmRow.replaceChildren(
          h('span', { i18n: 'admin.eraseConfirm' }),
          button('admin.erase', () => void this.api().erase(sessionId).then(() => this.onErased(sessionId), fail), 'button-danger'),
          button('admin.cancel', () => (confirmRow.hidden = true), 'button-quiet'),
        );
      }, 'button-quiet'),
      confirmRow,
      result,
    );
  }

  private renderReport(report: InterviewReport | null): void {
    const container = this.report;
    if (container === undefined) return;
    const signature = report === null ? '' : `${report.session_id}:${report.ended_at ?? ''}:${report.overall_score}`;
    if (signature === this.reportSignature) return;
    this.reportSignature = signature;
    if (report === null) {
      container.replaceChildren();
      return;
    }
    const list = (items: string[]) => (items.length === 0 ? h('p', { class: 'muted', i18n: 'report.none' }) : h('ul', { class: 'bullets' }, ...items.map((item) => h('li', { text: item }))));
    container.replaceChildren(
      h('h3', { class: 'transcript-title', i18n: 'admin.report' }),
      h(
        'p',
        { class: 'report-overall' },
        h('strong', { text: scoreText(report.overall_score) }),
        ' · ',
        h('span', { class: `recommendation recommendation-${report.recommendation}`, text: t(`report.recommendation.${report.recommendation}`) }),
      ),
      h('p', { text: report.summary }),
      h('h4', { i18n: 'report.competencies' }),
      h('ul', { class: 'bullets' }, ...report.competencies.map((competency) => h('li', {}, h('strong', { text: competencyLabel(competency.name) }), ` ${scoreText(competency.score)}`))),
      h('h4', { i18n: 'report.strengths' }),
      list(report.strengths),
      h('h4', { i18n: 'report.concerns' }),
      list(report.concerns),
      h('h4', { i18n: 'report.questions' }),
      h(
        'ol',
        { class: 'report-questions' },
        ...report.questions.map((question) =>
          h(
            'li',
            {},
            h('strong', { text: question.question }),
            h('p', { text: question.answer || t('report.noAnswer') }),
            h('p', { class: 'muted', text: `${t('report.score')}: ${question.score === null ? '—' : scoreText(question.score)}${question.notes ? ` · ${question.notes}` : ''}` }),
            scoringGuide(question.scoring_guide),
          ),
        ),
      ),
    );
  }

  private showEmpty(): void {
    this.actions = undefined;
    this.report = undefined;
    this.header = undefined;
    this.transcript = undefined;
    this.content.replaceChildren(h('p', { class: 'empty', i18n: 'admin.detailEmpty' }));
  }
}

/** What a 1, a 3 and a 5 answer contain, as the evaluator scored against it; nothing when the report has no guide. */
function scoringGuide(guide: ScoringGuide | undefined): HTMLElement | null {
  const lines = [...(guide ?? [])].filter((line) => line.description.trim() !== '').sort((a, b) => a.score - b.score);
  if (lines.length === 0) return null;
  return h(
    'div',
    { class: 'scoring-guide' },
    h('p', { class: 'scoring-guide-title', i18n: 'report.scoringGuide' }),
    h('dl', {}, ...lines.map((line) => h('div', {}, h('dt', { text: String(line.score) }), h('dd', { text: line.description })))),
  );
}
