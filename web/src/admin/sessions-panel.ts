import type { InterviewStatus } from '@viva/protocol/interview-schemas.js';
import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import type { ConnectedSession } from './admin-api.js';
import { formatRelative } from './format.js';

/** "In progress · 2/6" in the interface language. */
export function describeProgress(interview: InterviewStatus): string {
  const state = t(`admin.state.${interview.state}`);
  if (interview.state !== 'in_progress' || interview.question_number === undefined || interview.total_questions === undefined) return state;
  const stage = interview.stage === undefined ? '' : ` · ${t(`stage.${interview.stage}`)}`;
  return `${state}${stage} · ${interview.question_number}/${interview.total_questions}`;
}

/** The connected sessions as a table; "View" follows one session's transcript. */
export class SessionsPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly empty: HTMLParagraphElement;
  private readonly count: HTMLSpanElement;
  private sessions: ConnectedSession[] = [];
  private selected: string | undefined;

  constructor(private readonly onSelect: (sessionId: string) => void) {
    this.body = h('tbody');
    this.empty = h('p', { class: 'empty', i18n: 'admin.sessionsEmpty' });
    this.count = h('span', { class: 'count-badge' });
    const column = (key: 'admin.col.session' | 'admin.col.candidate' | 'admin.col.progress' | 'admin.col.activity') =>
      h('th', { attrs: { scope: 'col' }, i18n: key });
    this.element = h(
      'section',
      { class: 'panel sessions', attrs: { 'aria-labelledby': 'sessions-title' } },
      h('div', { class: 'panel-head' }, h('h2', { attrs: { id: 'sessions-title' } }, h('span', { i18n: 'admin.sessions' }), ' ', this.count)),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              column('admin.col.session'),
              column('admin.col.candidate'),
              column('admin.col.progress'),
              column('admin.col.activity'),
              h('th', { attrs: { scope: 'col' } }, h('span', { class: 'visually-hidden', i18n: 'admin.view' })),
            ),
          ),
          this.body,
        ),
      ),
      this.empty,
    );
  }

  update(sessions: ConnectedSession[]): void {
    this.sessions = sessions;
    this.render();
  }

  select(sessionId: string | undefined): void {
    this.selected = sessionId;
    this.render();
  }

  render(): void {
    const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.sessionId : undefined;
    this.count.textContent = String(this.sessions.length);
    this.empty.hidden = this.sessions.length > 0;
    this.body.replaceChildren(...this.sessions.map((session) => this.row(session)));
    // rows are rebuilt on every poll: keep the keyboard focus on the same session's button
    if (focusedId !== undefined) this.body.querySelector<HTMLButtonElement>(`button[data-session-id="${CSS.escape(focusedId)}"]`)?.focus();
  }

  private row(session: ConnectedSession): HTMLTableRowElement {
    const isSelected = session.session_id === this.selected;
    const button = h('button', {
      class: `button ${isSelected ? '' : 'button-secondary'} button-small`,
      attrs: { type: 'button', 'aria-pressed': String(isSelected), 'aria-label': `${t('admin.view')} ${session.session_id}` },
      text: isSelected ? t('admin.viewing') : t('admin.view'),
      on: { click: () => this.onSelect(session.session_id) },
    });
    button.dataset.sessionId = session.session_id;
    const row = h(
      'tr',
      { class: isSelected ? 'is-selected' : '' },
      h('td', {}, h('code', { class: 'session-id', text: session.session_id, attrs: { title: session.session_id } })),
      h('td', { text: session.candidate?.name || '—' }),
      h('td', { text: describeProgress(session.interview) }),
      h('td', { class: 'cell-nowrap' }, h('time', { attrs: { datetime: session.last_activity_at, title: session.last_activity_at }, text: formatRelative(session.last_activity_at) })),
      h('td', { class: 'cell-action' }, button),
    );
    row.dataset.sessionId = session.session_id;
    return row;
  }
}
