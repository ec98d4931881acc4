import { h } from '../shared/dom.js';
import { localizeAttributes, t, type MessageKey } from '../shared/i18n.js';
import { ApiError } from '../shared/http-json.js';

/** A one-field form that sends a notice (to one session or to all) and reports the outcome. */
export function noticeForm(options: {
  id: string;
  labelKey: MessageKey;
  placeholderKey: MessageKey;
  submitKey: MessageKey;
  send: (message: string) => Promise<string>;
}): HTMLFormElement {
  const input = localizeAttributes(
    h('textarea', { class: 'textarea', attrs: { id: options.id, name: 'message', rows: 2, maxlength: 2000, required: true } }),
    { placeholder: options.placeholderKey },
  );
  const submit = h('button', { class: 'button', attrs: { type: 'submit' }, i18n: options.submitKey });
  const result = h('p', { class: 'form-result', attrs: { role: 'status' } });
  const form = h(
    'form',
    { class: 'notice-form' },
    h('div', { class: 'field' }, h('label', { i18n: options.labelKey, attrs: { for: options.id } }), input),
    h('div', { class: 'notice-actions' }, submit, result),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (message === '') {
      input.focus();
      return;
    }
    submit.disabled = true;
    result.className = 'form-result';
    result.textContent = '';
    options.send(message).then(
      (text) => {
        input.value = '';
        result.className = 'form-result is-success';
        result.textContent = text;
      },
      (error: unknown) => {
        result.className = 'form-result is-error';
        result.textContent = t('admin.failed', { message: error instanceof ApiError || error instanceof Error ? error.message : String(error) });
      },
    ).finally(() => {
      submit.disabled = false;
    });
  });
  return form;
}
