import { h, replaceChildren } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import type { AdminApi, SessionDetail } from './admin-api.js';
import { formatTime } from './format.js';
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

  constructor(private readonly api: () => AdminApi) {
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
    if (sessionId === undefined) return this.showEmpty();
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
      h('h3', { class: 'transcript-title', i18n: 'admin.transcript', attrs: { id: 'transcript-title' } }),
      h('div', { class: 'transcript-scroll' }, this.transcript),
      form,
    );
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
      h('p', { class: 'detail-meta', text: describeProgress(detail.interview) }),
      connection ? h('p', { class: 'detail-meta', text: t('admin.connectedSince', { time: formatTime(connection.connected_at), address: connection.remote_address }) }) : null,
    );
    const last = detail.transcript.at(-1);
    const signature = `${detail.transcript.length}:${last?.interviewer.length ?? 0}:${last?.candidate?.length ?? 0}`;
    if (signature === this.transcriptSignature) return;
    this.transcriptSignature = signature;
    const scroller = this.transcript.parentElement;
    const atEnd = scroller === null || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
    if (detail.transcript.length === 0) {
      this.transcript.replaceChildren(h('li', { class: 'empty', i18n: 'admin.transcriptEmpty' }));
    } else {
      this.transcript.replaceChildren(
        ...detail.transcript.flatMap((turn) => [
          turn.candidate === null
            ? null
            : h(
                'li',
                { class: 'line line-candidate' },
                h('span', { class: 'line-role' }, detail.candidate.name || t('role.candidate'), turn.input_kind ? h('span', { class: 'chip', text: t(turn.input_kind === 'audio' ? 'admin.input.audio' : 'admin.input.text') }) : null),
                h('p', { text: turn.candidate }),
              ),
          h('li', { class: 'line line-interviewer' }, h('span', { class: 'line-role', i18n: 'role.interviewer' }), h('p', { text: turn.interviewer })),
        ].filter((item): item is HTMLLIElement => item !== null)),
      );
    }
    if (atEnd && scroller !== null) scroller.scrollTop = scroller.scrollHeight;
  }

  private showEmpty(): void {
    this.header = undefined;
    this.transcript = undefined;
    this.content.replaceChildren(h('p', { class: 'empty', i18n: 'admin.detailEmpty' }));
  }
}
