import { h } from '../shared/dom.js';
import { t, type MessageKey } from '../shared/i18n.js';

export type ConnectionView = 'connecting' | 'open' | 'reconnecting' | 'closed';

const labels: Record<ConnectionView, MessageKey> = {
  connecting: 'connection.connecting',
  open: 'connection.open',
  reconnecting: 'connection.reconnecting',
  closed: 'connection.closed',
};

/**
 * Connected / reconnecting… / offline, as a status region (announced when it changes). The browser's own
 * offline flag shows "offline" at once, before the socket notices.
 */
export class ConnectionIndicator {
  readonly element: HTMLElement;
  private readonly label: HTMLSpanElement;
  private socketState: ConnectionView = 'connecting';

  constructor() {
    this.label = h('span', { i18n: labels.connecting });
    this.element = h('div', { class: 'badge connection', attrs: { role: 'status', 'data-state': 'connecting' } }, h('span', { class: 'badge-dot' }), this.label);
    window.addEventListener('online', () => this.render());
    window.addEventListener('offline', () => this.render());
  }

  update(state: ConnectionView): void {
    this.socketState = state;
    this.render();
  }

  private render(): void {
    // the socket reconnects by itself when the network returns; until then "offline" is the honest word
    const shown: ConnectionView = !navigator.onLine && this.socketState !== 'open' ? 'closed' : this.socketState;
    this.element.dataset.state = shown;
    this.label.dataset.i18n = labels[shown];
    this.label.textContent = t(labels[shown]);
  }
}
