import { h, icon, icons } from '../shared/dom.js';
import { t, type MessageKey } from '../shared/i18n.js';

type EntryKind = 'interviewer' | 'candidate' | 'notice' | 'system';

interface EntryOptions {
  /** ISO timestamp of the server message; now when absent. */
  at?: string | undefined;
  /** Read the finished message out in the live region (false for history rebuilt after a reload). */
  announce?: boolean;
}

/**
 * The conversation as a list of messages. Streaming replies grow in place; a separate polite live region
 * announces each message once, complete, because announcing every delta would read a reply piecemeal.
 */
export class ChatLog {
  readonly element: HTMLOListElement;
  readonly announcer: HTMLDivElement;
  private readonly interviewerByTurn = new Map<number, HTMLLIElement>();
  private readonly indicator: HTMLLIElement;
  private indicatorKey: MessageKey | undefined;
  private scroller: HTMLElement | undefined;
  /** Follow new content only while the reader is at the end; someone reading back is left in peace. */
  private followEnd = true;

  /** @param locale how times are written: the interview's language, not the browser's (a Chinese interview on an English browser writes times the Chinese way). */
  constructor(private readonly locale: string = 'en') {
    this.element = h('ol', { class: 'chat-log', attrs: { 'aria-labelledby': 'chat-heading' } });
    this.announcer = h('div', { class: 'visually-hidden', attrs: { 'aria-live': 'polite', 'aria-relevant': 'additions' } });
    this.indicator = h('li', { class: 'chat-indicator', attrs: { 'aria-hidden': 'true' } });
  }

  /** The scrolling element around the list. */
  attachScroller(scroller: HTMLElement): void {
    this.scroller = scroller;
    scroller.addEventListener('scroll', () => {
      this.followEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    });
  }

  clear(): void {
    this.element.replaceChildren();
    this.interviewerByTurn.clear();
    this.indicatorKey = undefined;
  }

  hasTurn(turn: number): boolean {
    return this.interviewerByTurn.has(turn);
  }

  /** The candidate's own message; `pending` marks a typed answer the server has not answered yet. */
  addCandidate(text: string, options: EntryOptions & { voice?: boolean; pending?: boolean; beforeTurn?: number } = {}): HTMLLIElement {
    const entry = this.entry('candidate', text, options);
    if (options.voice === true) {
      entry.querySelector('.message-meta')?.prepend(h('span', { class: 'message-tag' }, icon(icons.mic), h('span', { i18n: 'chat.voiceAnswer' })));
    }
    if (options.pending === true) entry.classList.add('is-pending');
    const before = options.beforeTurn === undefined ? undefined : this.interviewerByTurn.get(options.beforeTurn);
    this.insert(entry, before);
    if (before === undefined) this.scrollToEnd(true);
    if (options.announce !== false) this.announce('role.candidate', text);
    return entry;
  }

  /** Adds a piece of the interviewer's reply for `turn`, creating its message on the first piece. */
  appendDelta(turn: number, delta: string, at?: string): void {
    let entry = this.interviewerByTurn.get(turn);
    if (entry === undefined) {
      entry = this.entry('interviewer', '', { at });
      entry.classList.add('is-streaming');
      entry.setAttribute('aria-busy', 'true');
      this.interviewerByTurn.set(turn, entry);
      this.hideIndicator();
      this.insert(entry);
    }
    if (!entry.classList.contains('is-streaming')) return;
    const body = entry.querySelector('.message-text');
    if (body) body.textContent += delta;
    this.scrollToEnd();
  }

  /** The whole reply of `turn`: replaces what streamed (the complete text wins) or adds it. */
  completeInterviewer(turn: number, text: string, options: EntryOptions & { cancelled?: boolean } = {}): void {
    let entry = this.interviewerByTurn.get(turn);
    const isNew = entry === undefined;
    if (entry === undefined) {
      entry = this.entry('interviewer', text, options);
      this.interviewerByTurn.set(turn, entry);
      this.insert(entry);
    } else {
      const body = entry.querySelector('.message-text');
      if (body) body.textContent = text;
    }
    const wasStreaming = entry.classList.contains('is-streaming');
    entry.classList.remove('is-streaming');
    entry.removeAttribute('aria-busy');
    if (options.cancelled === true && entry.querySelector('.message-cancelled') === null) {
      entry.append(h('p', { class: 'message-cancelled', i18n: 'chat.cancelled' }));
    }
    this.hideIndicator();
    if (options.announce !== false && (isNew || wasStreaming)) this.announce('role.interviewer', text);
    this.scrollToEnd();
  }

  addNotice(text: string, from: 'admin' | 'system', options: EntryOptions = {}): void {
    const entry = this.entry('notice', text, options, from === 'admin' ? 'role.admin' : 'role.system');
    entry.querySelector('.message-meta')?.prepend(icon(from === 'admin' ? icons.megaphone : icons.info));
    this.insert(entry);
    if (options.announce !== false) this.announce(from === 'admin' ? 'role.admin' : 'role.system', text);
  }

  addSystem(key: MessageKey, options: EntryOptions = {}): void {
    const entry = h('li', { class: 'message message-system' }, h('p', { class: 'message-text', i18n: key }));
    entry.dataset.at = options.at ?? new Date().toISOString();
    this.insert(entry);
    if (options.announce !== false) this.announce(undefined, t(key));
  }

  /** The "thinking…" / "transcribing…" line at the end of the conversation, or none. */
  showIndicator(key: 'chat.thinking' | 'chat.transcribing' | 'interview.loading' | undefined): void {
    if (key === undefined) return this.hideIndicator();
    if (this.indicatorKey === key && this.indicator.isConnected) return;
    this.indicatorKey = key;
    this.indicator.replaceChildren(h('span', { class: 'dots' }, h('span'), h('span'), h('span')), h('span', { i18n: key }));
    this.element.append(this.indicator);
    this.scrollToEnd();
  }

  hideIndicator(): void {
    this.indicatorKey = undefined;
    this.indicator.remove();
  }

  private entry(kind: EntryKind, text: string, options: EntryOptions, roleKey?: MessageKey): HTMLLIElement {
    const at = options.at ?? new Date().toISOString();
    const role = roleKey ?? (kind === 'candidate' ? 'role.candidate' : 'role.interviewer');
    const time = new Date(at);
    const entry = h(
      'li',
      { class: `message message-${kind}` },
      h(
        'div',
        { class: 'message-meta' },
        h('span', { class: 'message-role', i18n: role }),
        h('time', { attrs: { datetime: at }, text: Number.isNaN(time.getTime()) ? '' : time.toLocaleTimeString(this.locale, { hour: '2-digit', minute: '2-digit' }) }),
      ),
      h('p', { class: 'message-text', text }),
    );
    entry.dataset.at = at;
    return entry;
  }

  private insert(entry: HTMLLIElement, before?: HTMLLIElement): void {
    if (before !== undefined) this.element.insertBefore(entry, before);
    else if (this.indicator.isConnected) this.element.insertBefore(entry, this.indicator);
    else this.element.append(entry);
    this.scrollToEnd();
  }

  private announce(roleKey: MessageKey | undefined, text: string): void {
    const line = h('p', { text: roleKey === undefined ? text : `${t(roleKey)}: ${text}` });
    this.announcer.append(line);
    // keep the live region short; screen readers have already read what was added
    while (this.announcer.childElementCount > 3) this.announcer.firstElementChild?.remove();
  }

  private scrollToEnd(force = false): void {
    const scroller = this.scroller;
    if (scroller === undefined || (!force && !this.followEnd)) return;
    requestAnimationFrame(() => {
      scroller.scrollTop = scroller.scrollHeight;
    });
  }
}
