import type { InterviewSettingsInput } from '@viva/protocol/interview-schemas.js';
import { h } from '../shared/dom.js';
import { t, type MessageKey } from '../shared/i18n.js';
import { ApiError } from '../shared/http-json.js';
import type { Template } from './admin-api.js';

/** What the create and edit forms send (POST and PATCH /api/v1/templates, docs/protocol.md §10). */
export interface TemplateFields {
  name: string;
  interview: InterviewSettingsInput;
  focus: string[];
}

export interface TemplateFormOptions {
  /** Prefixes the controls' ids, so a label points at its own control when several forms are open. */
  idPrefix: string;
  /** The template being edited; a blank form (mid level, 6 questions, 30 minutes) without it. */
  initial?: Template;
  submitKey: MessageKey;
  /** Saves the fields; the text it resolves with is shown beside the button. */
  submit: (fields: TemplateFields) => Promise<string>;
  /** Shown as a Cancel button when given (the edit form closes; the create form has none). */
  cancel?: () => void;
  /** Clears the form after a successful save (the create form, ready for the next template). */
  resetAfterSave?: boolean;
}

const levels = ['junior', 'mid', 'senior', 'lead'] as const;

/** Focus areas are typed one per line or separated by commas; the API takes at most 20 of 100 characters. */
function focusList(text: string): string[] {
  return text
    .split(/[\n,，]/)
    .map((item) => item.trim().slice(0, 100))
    .filter((item) => item !== '')
    .slice(0, 20);
}

function clamp(value: string, min: number, max: number, fallback: number): number {
  const number = Math.round(Number(value));
  return Number.isFinite(number) && value.trim() !== '' ? Math.min(max, Math.max(min, number)) : fallback;
}

/**
 * One form for creating and editing a template: name, role, level, language, job description, question
 * count, minutes and focus areas. Fields stack to one column on a phone (admin.css `.template-form`).
 */
export function templateForm(options: TemplateFormOptions): HTMLFormElement {
  const { idPrefix, initial } = options;
  const interview = initial?.interview ?? {};
  const id = (name: string) => `${idPrefix}-${name}`;
  const field = (name: string, labelKey: MessageKey, control: HTMLElement, hintKey?: MessageKey) =>
    h(
      'div',
      { class: 'field' },
      h('label', { i18n: labelKey, attrs: { for: id(name) } }),
      control,
      hintKey === undefined ? null : h('p', { class: 'field-hint', i18n: hintKey, attrs: { id: id(`${name}-hint`) } }),
    );
  const name = h('input', { class: 'input', attrs: { id: id('name'), name: 'name', required: true, maxlength: 200, value: initial?.name } });
  const role = h('input', { class: 'input', attrs: { id: id('role'), name: 'role', required: true, maxlength: 200, value: interview.role } });
  const currentLevel = interview.level ?? 'mid';
  const level = h(
    'select',
    { class: 'select', attrs: { id: id('level'), name: 'level' } },
    ...levels.map((value) => h('option', { attrs: { value, selected: value === currentLevel }, i18n: `start.level.${value}` })),
    // a level typed through the API (not one of the four) stays selectable, so saving does not change it
    levels.some((value) => value === currentLevel) ? null : h('option', { attrs: { value: currentLevel, selected: true }, text: currentLevel }),
  );
  const language = h(
    'select',
    { class: 'select', attrs: { id: id('language'), name: 'language' } },
    h('option', { attrs: { value: 'en', selected: interview.language !== 'zh' }, i18n: 'start.language.en' }),
    h('option', { attrs: { value: 'zh', selected: interview.language === 'zh' }, i18n: 'start.language.zh' }),
  );
  const questions = h('input', {
    class: 'input',
    attrs: { id: id('questions'), name: 'questions', type: 'number', inputmode: 'numeric', min: 1, max: 30, value: interview.question_count ?? 6 },
  });
  const minutes = h('input', {
    class: 'input',
    attrs: { id: id('minutes'), name: 'minutes', type: 'number', inputmode: 'numeric', min: 1, max: 240, value: interview.max_minutes ?? 30 },
  });
  const jobDescription = h('textarea', { class: 'textarea', attrs: { id: id('jd'), name: 'job_description', rows: 3, maxlength: 20_000 } });
  jobDescription.value = interview.job_description ?? '';
  const focus = h('textarea', { class: 'textarea', attrs: { id: id('focus'), name: 'focus', rows: 2, 'aria-describedby': id('focus-hint') } });
  focus.value = (initial?.focus ?? []).join('\n');
  const result = h('p', { class: 'form-result', attrs: { role: 'status' } });
  const save = h('button', { class: 'button', attrs: { type: 'submit' }, i18n: options.submitKey });

  const form = h(
    'form',
    { class: 'template-form', attrs: { 'aria-label': t(options.submitKey) } },
    field('name', 'admin.templateName', name),
    h('div', { class: 'field-row' }, field('role', 'admin.col.role', role), field('level', 'start.level', level)),
    h('div', { class: 'field-row' }, field('language', 'start.language', language), field('questions', 'admin.templateQuestions', questions), field('minutes', 'admin.templateMinutes', minutes)),
    field('jd', 'admin.templateJobDescription', jobDescription),
    field('focus', 'admin.templateFocus', focus, 'admin.templateFocusHint'),
    h(
      'div',
      { class: 'notice-actions' },
      save,
      options.cancel === undefined ? null : h('button', { class: 'button button-quiet', attrs: { type: 'button' }, i18n: 'admin.cancel', on: { click: options.cancel } }),
      result,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const missing = [name, role].find((input) => input.value.trim() === '');
    if (missing !== undefined) {
      missing.focus();
      result.textContent = t('start.required');
      return;
    }
    const fields: TemplateFields = {
      name: name.value.trim(),
      interview: {
        role: role.value.trim(),
        level: level.value,
        language: language.value === 'zh' ? 'zh' : 'en',
        question_count: clamp(questions.value, 1, 30, 6),
        max_minutes: clamp(minutes.value, 1, 240, 30),
        ...(jobDescription.value.trim() === '' ? {} : { job_description: jobDescription.value.trim() }),
      },
      focus: focusList(focus.value),
    };
    save.disabled = true;
    options
      .submit(fields)
      .then((message) => {
        result.textContent = message;
        if (options.resetAfterSave === true) {
          for (const control of [name, role, jobDescription, focus]) control.value = '';
        }
      })
      .catch((error: unknown) => {
        result.textContent = t('admin.failed', { message: error instanceof ApiError ? error.message : String(error) });
      })
      .finally(() => (save.disabled = false));
  });
  return form;
}
