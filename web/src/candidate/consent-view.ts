import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';

/**
 * Step 2: the candidate learns that an AI conducts the interview and what is recorded, and agrees, before
 * the session is created and before the microphone can be asked for.
 */
export function renderConsentView(options: { onBack: () => void; onAgree: () => Promise<void> }): HTMLElement {
  const checkbox = h('input', { attrs: { type: 'checkbox', id: 'consent-agree', required: true } });
  const startButton = h('button', { class: 'button', attrs: { type: 'submit', disabled: true }, i18n: 'consent.start' });
  checkbox.addEventListener('change', () => {
    startButton.disabled = !checkbox.checked;
  });
  const item = (key: 'consent.text' | 'consent.audio' | 'consent.transcript' | 'consent.evaluation') => h('li', { i18n: key });
  const form = h(
    'form',
    { class: 'card step-card', attrs: { 'aria-labelledby': 'consent-title' } },
    h('h1', { i18n: 'consent.title', attrs: { id: 'consent-title', tabindex: -1 } }),
    h('p', { class: 'lead', i18n: 'consent.ai' }),
    h('h2', { class: 'consent-heading', i18n: 'consent.recordedTitle' }),
    h('ul', { class: 'consent-list' }, item('consent.text'), item('consent.audio'), item('consent.transcript'), item('consent.evaluation')),
    h('p', { class: 'consent-note', i18n: 'consent.microphone' }),
    h('label', { class: 'agree' }, checkbox, h('span', { i18n: 'consent.agree' })),
    h(
      'div',
      { class: 'actions' },
      h('button', { class: 'button button-secondary', attrs: { type: 'button' }, i18n: 'consent.back', on: { click: options.onBack } }),
      startButton,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!checkbox.checked || startButton.dataset.busy === 'true') return;
    startButton.dataset.busy = 'true';
    startButton.disabled = true;
    startButton.removeAttribute('data-i18n');
    startButton.textContent = t('consent.starting');
    void options.onAgree().finally(() => {
      startButton.dataset.busy = 'false';
      startButton.disabled = !checkbox.checked;
      startButton.dataset.i18n = 'consent.start';
      startButton.textContent = t('consent.start');
    });
  });
  return form;
}
