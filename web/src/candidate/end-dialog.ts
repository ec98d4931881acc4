import { h } from '../shared/dom.js';

/**
 * Asks before ending the interview, in a native <dialog> (focus is trapped and returned, Escape cancels).
 * Resolves true to end.
 */
export function confirmEnd(): Promise<boolean> {
  const confirm = h('button', { class: 'button button-danger', attrs: { type: 'submit', value: 'end' }, i18n: 'interview.endConfirm' });
  const cancel = h('button', { class: 'button button-secondary', attrs: { type: 'submit', value: 'cancel', autofocus: true }, i18n: 'interview.endCancel' });
  const dialog = h(
    'dialog',
    { attrs: { 'aria-labelledby': 'end-title', 'aria-describedby': 'end-body' } },
    h(
      'form',
      { attrs: { method: 'dialog' } },
      h('h2', { i18n: 'interview.endTitle', attrs: { id: 'end-title' } }),
      h('p', { i18n: 'interview.endBody', attrs: { id: 'end-body' } }),
      h('div', { class: 'actions' }, cancel, confirm),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        resolve(dialog.returnValue === 'end');
        dialog.remove();
      },
      { once: true },
    );
    dialog.showModal();
  });
}
