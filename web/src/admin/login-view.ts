import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';

/** Asks for the admin token; `check` resolves to an error text to show, or undefined when it worked. */
export function renderLogin(options: { error?: string | undefined; check: (token: string) => Promise<string | undefined> }): HTMLElement {
  const input = h('input', {
    class: 'input',
    attrs: { id: 'admin-token', type: 'password', name: 'token', autocomplete: 'current-password', required: true, spellcheck: 'false' },
  });
  const error = h('p', { class: 'alert alert-error', attrs: { id: 'login-error', role: 'alert', hidden: options.error === undefined } }, options.error ?? '');
  const submit = h('button', { class: 'button', attrs: { type: 'submit' }, i18n: 'admin.signIn' });
  const form = h(
    'form',
    { class: 'card login', attrs: { 'aria-labelledby': 'login-title' } },
    h('h1', { i18n: 'admin.loginTitle', attrs: { id: 'login-title' } }),
    h('p', { class: 'lead', i18n: 'admin.loginIntro' }),
    error,
    h('div', { class: 'field' }, h('label', { i18n: 'admin.token', attrs: { for: 'admin-token' } }), input),
    h('div', { class: 'actions' }, submit),
  );
  if (options.error !== undefined) input.setAttribute('aria-describedby', 'login-error');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === '') {
      input.focus();
      return;
    }
    submit.disabled = true;
    void options.check(token).then((problem) => {
      submit.disabled = false;
      if (problem === undefined) return;
      error.textContent = problem;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'login-error');
      input.select();
      input.focus();
    });
  });
  queueMicrotask(() => input.focus());
  return form;
}

export function loginProblem(status: number, message: string): string {
  return status === 401 ? t('admin.badToken') : t('admin.unreachable', { message });
}
