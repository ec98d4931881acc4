import type { InterviewStatus } from '@viva/protocol/interview-schemas.js';
import { h } from '../shared/dom.js';
import { onUiLanguageChange, t } from '../shared/i18n.js';

/** Stage and "question n of m", with a bar; re-rendered on each status and language change. */
export class ProgressIndicator {
  readonly element: HTMLElement;
  private readonly stage: HTMLSpanElement;
  private readonly count: HTMLSpanElement;
  private readonly bar: HTMLDivElement;
  private readonly meter: HTMLDivElement;
  private status: InterviewStatus = { state: 'not_started' };
  private readonly clock: HTMLSpanElement;
  private startedAt: number | undefined;
  private maxMinutes: number | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.stage = h('span', { class: 'progress-stage' });
    this.count = h('span', { class: 'progress-count' });
    this.clock = h('span', { class: 'progress-clock', attrs: { hidden: true } });
    this.bar = h('div', { class: 'progress-bar-fill' });
    this.meter = h('div', { class: 'progress-bar', attrs: { role: 'progressbar', 'aria-valuemin': 0 } }, this.bar);
    this.element = h(
      'div',
      { class: 'progress', attrs: { role: 'group', 'aria-labelledby': 'progress-label' } },
      h('span', { class: 'visually-hidden', i18n: 'progress.label', attrs: { id: 'progress-label' } }),
      h('div', { class: 'progress-text' }, this.stage, this.count, this.clock),
      this.meter,
    );
    onUiLanguageChange(() => this.render());
    this.render();
  }

  update(status: InterviewStatus): void {
    this.status = status;
    if (status.state === 'completed') this.stopClock();
    this.render();
  }

  /**
   * A visible clock: time since the interview started, of its length (the session's max_minutes, the same
   * number the interviewer announced). Ticks every second until the interview ends.
   */
  setClock(startedAt: string | null, maxMinutes: number): void {
    const started = startedAt === null ? Number.NaN : Date.parse(startedAt);
    if (Number.isNaN(started)) return;
    this.startedAt = started;
    this.maxMinutes = maxMinutes;
    this.clock.hidden = false;
    if (this.ticker === undefined && this.status.state !== 'completed') this.ticker = setInterval(() => this.renderClock(), 1_000);
    this.renderClock();
  }

  stopClock(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private renderClock(): void {
    if (this.startedAt === undefined || this.maxMinutes === undefined) return;
    const elapsed = Math.max(0, Math.floor((Date.now() - this.startedAt) / 1000));
    const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    this.clock.textContent = t('progress.clock', { elapsed: clock(elapsed), total: clock(this.maxMinutes * 60) });
  }

  private render(): void {
    this.renderClock();
    const { state, stage, question_number: number, total_questions: total } = this.status;
    this.stage.textContent =
      state === 'completed' ? t('progress.completed') : stage !== undefined ? t(`stage.${stage}`) : t('progress.notStarted');
    const hasCount = number !== undefined && total !== undefined && total > 0;
    this.count.textContent = hasCount && state !== 'completed' ? t('progress.question', { n: Math.min(number, total), m: total }) : '';
    const fraction = state === 'completed' ? 1 : hasCount ? Math.min(number, total) / total : 0;
    this.bar.style.width = `${Math.round(fraction * 100)}%`;
    this.meter.setAttribute('aria-valuemax', String(hasCount ? total : 1));
    this.meter.setAttribute('aria-valuenow', String(hasCount ? Math.min(number, total) : state === 'completed' ? 1 : 0));
    this.meter.setAttribute('aria-valuetext', [this.stage.textContent, this.count.textContent].filter(Boolean).join(', '));
  }
}
