import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import type { AdminApi, Comparison, Template } from './admin-api.js';
import { competencyLabel, levelLabel, saveBlob, scoreText } from './format.js';
import { templateForm } from './template-form.js';

/**
 * The hiring team's templates (docs/protocol.md §10): create one, copy its invite link, see its candidates side
 * by side (overall and per competency), export them as CSV, delete it. Refreshed by the dashboard's poll.
 */
export class TemplatesPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLDivElement;
  private templates: Template[] = [];
  private signature = '';
  private openComparison: string | undefined;
  private comparison: Comparison | undefined;
  private editing: { templateId: string; form: HTMLFormElement } | undefined;
  private saved: { templateId: string; text: string } | undefined;

  constructor(
    private readonly api: () => AdminApi,
    private readonly onSelectSession: (sessionId: string) => void,
    private readonly onChanged: () => void,
  ) {
    this.list = h('div', { class: 'template-list' });
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
    const signature = JSON.stringify([templates, this.openComparison, this.comparison, this.editing?.templateId, this.saved]);
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
    return templateForm({
      idPrefix: 'template',
      submitKey: 'admin.templateCreate',
      resetAfterSave: true,
      submit: async (fields) => {
        const created = await this.api().createTemplate(fields);
        this.onChanged();
        return t('admin.templateCreated', { name: created.name });
      },
    });
  }

  /**
   * The edit form of one template, kept across re-renders (polls re-render the list when counts change),
   * so what the recruiter is typing is not lost.
   */
  private editForm(template: Template): HTMLFormElement {
    if (this.editing?.templateId === template.template_id) return this.editing.form;
    // the form closes under the keyboard's focus: give it back to the card's Edit button
    const focusEdit = () => this.list.querySelector<HTMLElement>(`[data-template-id="${CSS.escape(template.template_id)}"] .template-edit`)?.focus();
    const close = () => {
      this.editing = undefined;
      this.signature = '';
      this.render();
      focusEdit();
    };
    const form = templateForm({
      idPrefix: `edit-${template.template_id}`,
      initial: template,
      submitKey: 'admin.templateSave',
      cancel: close,
      submit: async (fields) => {
        const saved = await this.api().updateTemplate(template.template_id, fields);
        this.editing = undefined;
        this.saved = { templateId: saved.template_id, text: t('admin.templateSaved', { name: saved.name }) };
        // show the saved settings at once; the next poll brings the same
        this.templates = this.templates.map((item) => (item.template_id === saved.template_id ? { ...item, ...saved } : item));
        this.signature = '';
        this.render();
        focusEdit();
        this.onChanged();
        return this.saved.text;
      },
    });
    form.classList.add('template-edit-form');
    this.editing = { templateId: template.template_id, form };
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
    const isEditing = this.editing?.templateId === template.template_id;
    const edit = h('button', {
      class: 'button button-secondary button-small template-edit',
      attrs: { type: 'button', 'aria-expanded': String(isEditing) },
      i18n: 'admin.edit',
      on: {
        click: () => {
          this.saved = undefined;
          if (isEditing) this.editing = undefined;
          else this.editForm(template);
          this.signature = '';
          this.render();
          // the form opens inside the card, under the finger; its first field takes the focus
          if (!isEditing) this.editing?.form.querySelector('input')?.focus();
        },
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
      template.focus.length === 0 ? null : h('p', { class: 'detail-meta template-focus', text: t('admin.templateFocusList', { focus: template.focus.join(', ') }) }),
      h('p', { class: 'detail-meta', text: t('admin.templateCounts', { candidates: template.candidates ?? 0, completed: template.completed ?? 0 }) }),
      h('div', { class: 'invite-row' }, link, copy, copied),
      h('div', { class: 'template-actions' }, edit, compare, exportCsv, remove),
      confirmRow,
      this.saved?.templateId === template.template_id && !isEditing ? h('p', { class: 'form-result', attrs: { role: 'status' }, text: this.saved.text }) : null,
      isEditing ? this.editForm(template) : null,
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
          ...comparison.competencies.map((name) => h('th', { attrs: { scope: 'col' }, text: competencyLabel(name) })),
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
              return h('td', { attrs: { 'data-label': competencyLabel(name) }, text: score === null || score === undefined ? '—' : scoreText(score) });
            }),
          ),
        ),
      ),
    );
  }
}
