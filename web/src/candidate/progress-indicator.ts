import type { InterviewStatus } from '../../../src/protocol/interview-schemas.js';
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

  constructor() {
    this.stage = h('span', { class: 'progress-stage' });
    this.count = h('span', { class: 'progress-count' });
    this.bar = h('div', { class: 'progress-bar-fill' });
    this.meter = h('div', { class: 'progress-bar', attrs: { role: 'progressbar', 'aria-valuemin': 0 } }, this.bar);
    this.element = h(
      'div',
      { class: 'progress', attrs: { role: 'group', 'aria-labelledby': 'progress-label' } },
      h('span', { class: 'visually-hidden', i18n: 'progress.label', attrs: { id: 'progress-label' } }),
      h('div', { class: 'progress-text' }, this.stage, this.count),
      this.meter,
    );
    onUiLanguageChange(() => this.render());
    this.render();
  }

  update(status: InterviewStatus): void {
    this.status = status;
    this.render();
  }

  private render(): void {
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
