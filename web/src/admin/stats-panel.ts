import { h } from '../shared/dom.js';
import { t, type MessageKey } from '../shared/i18n.js';
import type { Stats } from './admin-api.js';
import { formatDuration, formatNumber, formatTime } from './format.js';

/** The live numbers as a row of cards; the whole row re-renders from each poll. */
export class StatsPanel {
  readonly element: HTMLElement;
  private readonly grid: HTMLDListElement;
  private readonly updated: HTMLParagraphElement;
  private last: { stats: Stats; at: string } | undefined;

  constructor() {
    this.grid = h('dl', { class: 'stats-grid' });
    this.updated = h('p', { class: 'panel-note' });
    this.element = h(
      'section',
      { class: 'panel stats', attrs: { 'aria-labelledby': 'stats-title' } },
      h('div', { class: 'panel-head' }, h('h2', { i18n: 'admin.stats', attrs: { id: 'stats-title' } }), this.updated),
      this.grid,
    );
  }

  update(stats: Stats): void {
    this.last = { stats, at: new Date().toISOString() };
    this.render();
  }

  render(): void {
    if (this.last === undefined) return;
    const { stats, at } = this.last;
    const errors = Object.values(stats.errors_by_code).reduce((sum, count) => sum + count, 0);
    const cards: Array<[MessageKey, string, string]> = [
      ['admin.stat.connections', formatNumber(stats.connections_active), 'connections'],
      ['admin.stat.sessionsActive', formatNumber(stats.sessions_active), 'sessions-active'],
      ['admin.stat.sessionsTotal', formatNumber(stats.sessions_total), 'sessions-total'],
      ['admin.stat.messagesIn', formatNumber(stats.messages_in), 'messages-in'],
      ['admin.stat.messagesOut', formatNumber(stats.messages_out), 'messages-out'],
      ['admin.stat.errors', formatNumber(errors), 'errors'],
      ['admin.stat.uptime', formatDuration(stats.uptime_s), 'uptime'],
      ['admin.stat.nodes', formatNumber(stats.nodes.length), 'nodes'],
    ];
    this.grid.replaceChildren(
      ...cards.map(([label, value, name]) =>
        h('div', { class: 'stat', attrs: { 'data-stat': name } }, h('dt', { i18n: label }), h('dd', { text: value })),
      ),
    );
    const errorCodes = Object.entries(stats.errors_by_code).filter(([, count]) => count > 0);
    const errorCard = this.grid.querySelector('[data-stat="errors"]');
    if (errorCard && errorCodes.length > 0) errorCard.setAttribute('title', errorCodes.map(([code, count]) => `${code}: ${count}`).join('\n'));
    this.updated.textContent = t('admin.updated', { time: formatTime(at) });
  }
}
