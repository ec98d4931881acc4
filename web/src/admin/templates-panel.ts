import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { ApiError } from '../shared/http-json.js';
import type { AdminApi, Comparison, Template } from './admin-api.js';
import { levelLabel, saveBlob, scoreText } from './format.js';

/**
 * The hiring team's templates (docs/protocol.md §10): create one, copy its invite link, see its candidates side
 * by side (overall and per competency), export them as CSV, delete it. Refreshed by the dashboard's poll.
 */
export class TemplatesPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLDivElement;
  private readonly formResult: HTMLParagraphElement;
  private templates: Template[] = [];
  private signature = '';
  private openComparison: string | undefined;
  private comparison: Comparison | undefined;

  constructor(
    private readonly api: () => AdminApi,
    private readonly onSelectSession: (sessionId: string) => void,
    private readonly onChanged: () => void,
  ) {
    this.list = h('div', { class: 'template-list' });
    this.formResult = h('p', { class: 'form-result', attrs: { role: 'status' } });
    this.element = h(
      'section',
      { class: 'panel templates', attrs: { 'aria-labelledby': 'templates-title' } },
      h('div', { class: 'panel-head' }, h('h2', { i18n: 'admin.templates', attrs: { id: 'templates-title' } })),
      this.createForm(),
      this.list,
    );
  }

  get all(): Template[] {
    return this.templates;
  }

  get comparedTemplate(): string | undefined {
    return this.openComparison;
  }

  update(templates: Template[], comparison?: Comparison): void {
    this.templates = templates;
    if (comparison !== undefined) this.comparison = comparison;
    const signature = JSON.stringify([templates, this.openComparison, this.comparison]);
    if (signature === this.signature) return;
    this.signature = signature;
    this.render();
  }

  render(): void {
    if (this.templates.length === 0) {
      this.list.replaceChildren(h('p', { class: 'empty', i18n: 'admin.templatesEmpty' }));
      return;
    }
    this.list.replaceChildren(...this.templates.map((template) => this.card(template)));
  }

  private createForm(): HTMLFormElement {
    const field = (id: string, labelKey: Parameters<typeof t>[0], control: HTMLElement) =>
      h('div', { class: 'field' }, h('label', { i18n: labelKey, attrs: { for: id } }), control);
    const name = h('input', { class: 'input', attrs: { id: 'template-name', name: 'name', required: true, maxlength: 200 } });
    const role = h('input', { class: 'input', attrs: { id: 'template-role', name: 'role', required: true, maxlength: 200 } });
    const level = h(
      'select',
      { class: 'select', attrs: { id: 'template-level', name: 'level' } },
      ...(['junior', 'mid', 'senior', 'lead'] as const).map((value) => h('option', { attrs: { value, selected: value === 'mid' }, i18n: `start.level.${value}` })),
    );
    const language = h(
      'select',
      { class: 'select', attrs: { id: 'template-language', name: 'language' } },
      h('option', { attrs: { value: 'en' }, i18n: 'start.language.en' }),
      h('option', { attrs: { value: 'zh' }, i18n: 'start.language.zh' }),
    );
    const questions = h('input', { class: 'input', attrs: { id: 'template-questions', name: 'questions', type: 'number', min: 1, max: 30, value: 6 } });
    const minutes = h('input', { class: 'input', attrs: { id: 'template-minutes', name: 'minutes', type: 'number', min: 1, max: 240, value: 30 } });
    const form = h(
      'form',
      { class: 'template-form', attrs: { 'aria-label': t('admin.templateCreate') } },
      field('template-name', 'admin.templateName', name),
      h('div', { class: 'field-row' }, field('template-role', 'admin.col.role', role), field('template-level', 'start.level', level)),
      h(
        'div',
        { class: 'field-row' },
        field('template-language', 'start.language', language),
        field('template-questions', 'admin.templateQuestions', questions),
        field('template-minutes', 'admin.templateMinutes', minutes),
      ),
      h('div', { class: 'notice-actions' }, h('button', { class: 'button', attrs: { type: 'submit' }, i18n: 'admin.templateCreate' }), this.formResult),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const missing = [name, role].find((input) => input.value.trim() === '');
      if (missing !== undefined) {
        missing.focus();
        this.formResult.textContent = t('start.required');
        return;
      }
      void this.api()
        .createTemplate({
          name: name.value.trim(),
          interview: {
            role: role.value.trim(),
            level: level.value,
            language: language.value === 'zh' ? 'zh' : 'en',
            question_count: Math.min(30, Math.max(1, Number(questions.value) || 6)),
            max_minutes: Math.min(240, Math.max(1, Number(minutes.value) || 30)),
          },
        })
        .then((created) => {
          this.formResult.textContent = t('admin.templateCreated', { name: created.name });
          name.value = '';
          role.value = '';
          this.onChanged();
        })
        .catch((error: unknown) => {
          this.formResult.textContent = t('admin.failed', { message: error instanceof ApiError ? error.message : String(error) });
        });
    });
    return form;
  }

  private card(template: Template): HTMLElement {
    const interview = template.interview;
    const link = h('input', { class: 'input invite-link', attrs: { readonly: true, value: template.invite_url, 'aria-label': t('admin.inviteLink') } });
    const copied = h('span', { class: 'form-result', attrs: { role: 'status' } });
    const copy = h('button', {
      class: 'button button-secondary button-small',
      attrs: { type: 'button' },
      i18n: 'admin.copy',
      on: {
        click: () => {
          link.select();
          void navigator.clipboard?.writeText(template.invite_url).then(
            () => (copied.textContent = t('admin.copied')),
            () => (copied.textContent = ''),
          );
        },
      },
    });
    const isOpen = this.openComparison === template.template_id;
    const compare = h('button', {
      class: `button ${isOpen ? '' : 'button-secondary'} button-small`,
      attrs: { type: 'button', 'aria-expanded': String(isOpen) },
      i18n: 'admin.compare',
      on: {
        click: () => {
          this.openComparison = isOpen ? undefined : template.template_id;
          this.comparison = undefined;
          this.signature = '';
          this.render();
          this.onChanged();
        },
      },
    });
    const exportCsv = h('button', {
      class: 'button button-secondary button-small',
      attrs: { type: 'button' },
      i18n: 'admin.exportCsv',
      on: {
        click: () =>
          void this.api()
            .download(`/api/v1/templates/${encodeURIComponent(template.template_id)}/candidates?format=csv`, 'text/csv')
            .then((blob) => saveBlob(blob, `${template.template_id}-candidates.csv`)),
      },
    });
    const confirmRow = h('div', { class: 'confirm-row', attrs: { hidden: true } });
    const remove = h('button', {
      class: 'button button-quiet button-small',
      attrs: { type: 'button' },
      i18n: 'admin.delete',
      on: {
        click: () => {
          confirmRow.hidden = false;
          confirmRow.replaceChildren(
            h('span', { text: t('admin.deleteTemplateConfirm', { name: template.name }) }),
            h('button', {
              class: 'button button-danger button-small',
              attrs: { type: 'button' },
              i18n: 'admin.delete',
              on: { click: () => void this.api().deleteTemplate(template.template_id).then(() => this.onChanged()) },
            }),
            h('button', { class: 'button button-quiet button-small', attrs: { type: 'button' }, i18n: 'admin.cancel', on: { click: () => (confirmRow.hidden = true) } }),
          );
        },
      },
    });
    const card = h(
      'article',
      { class: 'template-card' },
      h('h3', { class: 'template-name', text: template.name }),
      h(
        'p',
        { class: 'detail-meta' },
        [interview.role ?? '—', levelLabel(interview.level ?? 'mid'), interview.language === 'zh' ? '中文' : 'English', t('admin.templateLength', { questions: interview.question_count ?? 6, minutes: interview.max_minutes ?? 30 })].join(' · '),
      ),
      h('p', { class: 'detail-meta', text: t('admin.templateCounts', { candidates: template.candidates ?? 0, completed: template.completed ?? 0 }) }),
      h('div', { class: 'invite-row' }, link, copy, copied),
      h('div', { class: 'template-actions' }, compare, exportCsv, remove),
      confirmRow,
      isOpen ? this.comparisonView() : null,
    );
    card.dataset.templateId = template.template_id;
    return card;
  }

  private comparisonView(): HTMLElement {
    const comparison = this.comparison;
    if (comparison === undefined) return h('p', { class: 'muted', i18n: 'report.loading' });
    if (comparison.items.length === 0) return h('p', { class: 'empty', i18n: 'admin.noCandidates' });
    const sorted = [...comparison.items].sort((a, b) => (b.overall_score ?? -1) - (a.overall_score ?? -1));
    return h(
      'table',
      { class: 'table comparison' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { attrs: { scope: 'col' }, i18n: 'admin.col.candidate' }),
          h('th', { attrs: { scope: 'col' }, i18n: 'admin.col.overall' }),
          ...comparison.competencies.map((name) => h('th', { attrs: { scope: 'col' }, text: name })),
        ),
      ),
      h(
        'tbody',
        {},
        ...sorted.map((item) =>
          h(
            'tr',
            {},
            h(
              'td',
              { attrs: { 'data-label': t('admin.col.candidate') } },
              h('button', {
                class: 'link-button',
                attrs: { type: 'button' },
                text: item.candidate.name || item.session_id,
                on: { click: () => this.onSelectSession(item.session_id) },
              }),
              h('span', { class: 'muted', text: ` · ${t(`admin.state.${item.state}`)}` }),
            ),
            h(
              'td',
              { attrs: { 'data-label': t('admin.col.overall') } },
              item.overall_score === null ? '—' : `${scoreText(item.overall_score)} · ${t(`report.recommendation.${item.recommendation ?? 'no'}`)}`,
            ),
            ...comparison.competencies.map((name) => {
              const score = item.competencies[name];
              return h('td', { attrs: { 'data-label': name }, text: score === null || score === undefined ? '—' : scoreText(score) });
            }),
          ),
        ),
      ),
    );
  }
}
