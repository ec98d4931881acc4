import type { Language } from '@viva/protocol/interview-schemas.js';
import { h } from '../shared/dom.js';
import { localizeAttributes, onUiLanguageChange, t } from '../shared/i18n.js';
import { INTERVIEW_DEFAULTS } from '../../../src/interview/interview-settings.js';

/**
 * "Takes up to N minutes", N being the server's own default length: the one number the interviewer also
 * says in its greeting, so the start page and the interviewer never disagree.
 */
function lengthLine(minutes: number): HTMLParagraphElement {
  const line = h('p', { class: 'start-length', text: t('start.length', { minutes }) });
  const stop = onUiLanguageChange(() => {
    if (!line.isConnected) return stop();
    line.textContent = t('start.length', { minutes });
  });
  return line;
}

export interface StartDetails {
  name: string;
  role: string;
  level: 'junior' | 'mid' | 'senior' | 'lead';
  language: Language;
}

const levels = ['junior', 'mid', 'senior', 'lead'] as const;

/**
 * Step 1: who is interviewing for what, and in which language. Choosing a language switches the UI to it
 * at once, so the consent step is read in the interview's language.
 */
export function renderStartView(options: {
  initial: Partial<StartDetails>;
  onLanguage: (language: Language) => void;
  onSubmit: (details: StartDetails) => void;
}): HTMLElement {
  const { initial } = options;
  const nameInput = h('input', {
    class: 'input',
    attrs: { id: 'candidate-name', name: 'name', autocomplete: 'name', required: true, maxlength: 200, value: initial.name ?? '' },
  });
  const roleInput = localizeAttributes(
    h('input', {
      class: 'input',
      attrs: { id: 'candidate-role', name: 'role', autocomplete: 'organization-title', required: true, maxlength: 200, value: initial.role ?? '' },
    }),
    { placeholder: 'start.rolePlaceholder' },
  );
  const levelSelect = h(
    'select',
    { class: 'select', attrs: { id: 'candidate-level', name: 'level' } },
    ...levels.map((level) => h('option', { attrs: { value: level, selected: level === (initial.level ?? 'mid') }, i18n: `start.level.${level}` })),
  );
  const languageChoice = (language: Language) =>
    h(
      'label',
      { class: 'choice' },
      h('input', {
        attrs: { type: 'radio', name: 'language', value: language, checked: language === (initial.language ?? 'en') },
        on: { change: () => options.onLanguage(language) },
      }),
      h('span', { i18n: `start.language.${language}` }),
    );
  const form = h(
    'form',
    { class: 'card step-card', attrs: { novalidate: true, 'aria-labelledby': 'start-title' } },
    h('h1', { i18n: 'start.title', attrs: { id: 'start-title' } }),
    h('p', { class: 'lead', i18n: 'start.intro' }),
    lengthLine(INTERVIEW_DEFAULTS.max_minutes),
    h('div', { class: 'field' }, h('label', { i18n: 'start.name', attrs: { for: 'candidate-name' } }), nameInput),
    h('div', { class: 'field' }, h('label', { i18n: 'start.role', attrs: { for: 'candidate-role' } }), roleInput),
    h(
      'div',
      { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { i18n: 'start.level', attrs: { for: 'candidate-level' } }), levelSelect),
      h(
        'fieldset',
        { class: 'field choices' },
        h('legend', { class: 'field-label', i18n: 'start.language' }),
        h('div', { class: 'choice-row' }, languageChoice('en'), languageChoice('zh')),
      ),
    ),
    h('div', { class: 'actions' }, h('button', { class: 'button', attrs: { type: 'submit' }, i18n: 'start.continue' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const missing = [nameInput, roleInput].filter((input) => input.value.trim() === '');
    for (const input of [nameInput, roleInput]) markInvalid(input, missing.includes(input));
    const first = missing[0];
    if (first !== undefined) {
      first.focus();
      return;
    }
    const data = new FormData(form);
    options.onSubmit({
      name: nameInput.value.trim(),
      role: roleInput.value.trim(),
      level: levels.find((level) => level === data.get('level')) ?? 'mid',
      language: data.get('language') === 'zh' ? 'zh' : 'en',
    });
  });
  return form;
}

/** Shows the "please fill in" message under an input and links it for screen readers. */
function markInvalid(input: HTMLInputElement, invalid: boolean): void {
  const errorId = `${input.id}-error`;
  input.parentElement?.querySelector(`#${errorId}`)?.remove();
  if (!invalid) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
    return;
  }
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', errorId);
  input.after(h('p', { class: 'field-error', i18n: 'start.required', attrs: { id: errorId } }));
  input.addEventListener('input', () => markInvalid(input, input.value.trim() === ''), { once: true });
}

/**
 * Step 1 for a candidate invited by a hiring team (`/?invite=…`): the job is set by the team's template,
 * so only the name is asked; the job's name, role, level and length are shown.
 */
export function renderInviteView(options: {
  invite: { name: string; interview: { role: string; level: string; max_minutes: number; question_count: number } };
  initialName: string;
  onSubmit: (name: string) => void;
}): HTMLElement {
  const { invite } = options;
  const nameInput = h('input', {
    class: 'input',
    attrs: { id: 'candidate-name', name: 'name', autocomplete: 'name', required: true, maxlength: 200, value: options.initialName },
  });
  const level = invite.interview.level;
  const levelText = level === 'junior' || level === 'mid' || level === 'senior' || level === 'lead' ? t(`start.level.${level}`) : level;
  const form = h(
    'form',
    { class: 'card step-card invite-card', attrs: { novalidate: true, 'aria-labelledby': 'start-title' } },
    h('h1', { text: t('invite.title', { name: invite.name }), attrs: { id: 'start-title' } }),
    h(
      'p',
      { class: 'invite-details' },
      t('invite.details', { role: invite.interview.role, level: levelText, minutes: invite.interview.max_minutes, questions: invite.interview.question_count }),
    ),
    h('p', { class: 'lead', i18n: 'invite.intro' }),
    h('div', { class: 'field' }, h('label', { i18n: 'start.name', attrs: { for: 'candidate-name' } }), nameInput),
    h('div', { class: 'actions' }, h('button', { class: 'button', attrs: { type: 'submit' }, i18n: 'start.continue' })),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const missing = nameInput.value.trim() === '';
    markInvalid(nameInput, missing);
    if (missing) {
      nameInput.focus();
      return;
    }
    options.onSubmit(nameInput.value.trim());
  });
  return form;
}
